/** OpenAPI examples of the calendar routes. */
export const DUE_DATE_EXAMPLE = {
  due: '2025-10-31',
  dueAt: '2025-10-31T16:00:00.000Z',
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
  provisional: false,
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
