/** OpenAPI examples of the calendar routes. */
export const DUE_DATE_EXAMPLE = {
  due: '2025-10-31',
  dueAt: '2025-10-31T16:00:00.000Z',
  provisional: false,
  explanation: {
    start: '2025-09-15',
    unit: 'working-days',
    amount: 30,
    region: 'national',
    countedDays: ['2025-09-16', '…', '2025-10-31'],
    skipped: [
      { date: '2025-10-01', reason: 'holiday', name: '国庆节、中秋节' },
      { date: '2025-10-04', reason: 'holiday', name: '国庆节、中秋节' },
    ],
    makeUpDaysCounted: [{ date: '2025-09-28', name: '国庆节调休上班' }],
    calendarVersions: { 'national/2025': 1 },
    unconfirmed: [],
    rules: ['民事诉讼法 art. 85: the start day is not counted', 'working days (工作日, as in 行政许可法 art. 82) …'],
  },
};

export const PUBLISH_EXAMPLE = {
  region: 'national',
  status: 'official',
  holidays: [{ date: '2027-01-01', name: '元旦' }],
  makeUpWorkdays: [],
  restDayOverrides: [],
  source: {
    issuer: '国务院办公厅',
    title: '国务院办公厅关于2027年部分节假日安排的通知',
    number: '国办发明电〔2026〕…',
  },
  evidence: { tag: 'V', refs: ['www.gov.cn'] },
};

export const NOT_PUBLISHED_EXAMPLE = {
  type: 'https://minsheng.dev/problems/calendar-year-not-published',
  title: 'Unprocessable Content',
  status: 422,
  code: 'CALENDAR.YEAR_NOT_PUBLISHED',
  detail: 'No national/2027 calendar is published: cannot count days in 2027',
  region: 'national',
  year: 2027,
  missing: 'national/2027',
};

/** Abridged: the full answer lists every statutory day and the evidence refs of each layer. */
export const DRAFT_EXAMPLE = {
  year: 2027,
  national: {
    region: 'national',
    status: 'provisional',
    holidays: [
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-05', name: '春节' },
      { date: '2027-02-06', name: '春节' },
      { date: '2027-02-07', name: '春节' },
      { date: '2027-02-08', name: '春节' },
      { date: '2027-10-01', name: '国庆节' },
    ],
    makeUpWorkdays: [],
    restDayOverrides: [],
    source: {
      issuer: '国务院',
      title:
        '2027年节假日草案：按《全国年节及纪念日放假办法》（2024年修订，国务院令第795号）第二条推算，非国务院办公厅通知',
      number: '国务院令第795号',
    },
    evidence: { tag: 'G', refs: ['…'], note: 'Drafted from the statutory rules …' },
  },
  xinjiang: {
    region: 'xinjiang',
    status: 'provisional',
    holidays: [{ date: '2027-03-09', name: '肉孜节（估计）' }],
    makeUpWorkdays: [],
    restDayOverrides: [],
    source: { issuer: '新疆维吾尔自治区人民政府', title: '2027年肉孜节、古尔邦节草案：…' },
    evidence: { tag: 'G', refs: ['…'] },
  },
  cannotKnow: ['No make-up working days (调休上班, …) …', '…'],
  howToPublish: 'Review and correct each layer, then PUT /v1/calendar/2027 with the national layer first …',
};

export const DRAFT_UNSUPPORTED_EXAMPLE = {
  type: 'https://minsheng.dev/problems/calendar-draft-year-unsupported',
  title: 'Unprocessable Content',
  status: 422,
  detail: 'can only draft years 2025 to 2100 from the 2024 holiday rules',
  code: 'CALENDAR.DRAFT_YEAR_UNSUPPORTED',
  value: 2024,
  errors: [
    {
      field: 'year',
      code: 'CALENDAR.DRAFT_YEAR_UNSUPPORTED',
      message: 'can only draft years 2025 to 2100 from the 2024 holiday rules',
    },
  ],
};

/** One recomputation as `GET /v1/calendar/{year}/recomputation` lists it. */
export const RECOMPUTATION_EXAMPLE = {
  id: '12',
  region: 'national',
  year: 2027,
  version: 2,
  state: 'running',
  total: 100000,
  done: 42500,
  changed: 3120,
  failed: 0,
  batches: 85,
  afterClockId: '6f1c2e0a-6a5b-4d0e-9c1e-2b9f0f7a1c33',
  requestedBy: 'staff:operator-1',
  requestId: 'req-7',
  requestedAt: '2026-11-20T02:00:00.000Z',
  startedAt: '2026-11-20T02:00:01.000Z',
  finishedAt: null,
};
