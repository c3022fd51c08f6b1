import type { Calendar } from '../calendar.js';
import { dayRange } from '../day-range.js';

/**
 * 国务院办公厅关于2026年部分节假日安排的通知, issued 2025-11-04 [S P32]; its document number is not recorded in
 * docs/domain.md §4.3 (unknown), so `source.number` is left out rather than guessed.
 */
export const national2026: Calendar = {
  region: 'national',
  year: 2026,
  version: 1,
  provisional: false,
  holidays: [
    ...dayRange('2026-01-01', '2026-01-03', '元旦'),
    ...dayRange('2026-02-15', '2026-02-23', '春节'),
    ...dayRange('2026-04-04', '2026-04-06', '清明节'),
    ...dayRange('2026-05-01', '2026-05-05', '劳动节'),
    ...dayRange('2026-06-19', '2026-06-21', '端午节'),
    ...dayRange('2026-09-25', '2026-09-27', '中秋节'),
    ...dayRange('2026-10-01', '2026-10-07', '国庆节'),
  ],
  makeUpWorkdays: [
    { date: '2026-01-04', name: '元旦调休上班' }, // Sun
    { date: '2026-02-14', name: '春节调休上班' }, // Sat
    { date: '2026-02-28', name: '春节调休上班' }, // Sat
    { date: '2026-05-09', name: '劳动节调休上班' }, // Sat
    { date: '2026-09-20', name: '国庆节调休上班' }, // Sun
    { date: '2026-10-10', name: '国庆节调休上班' }, // Sat
  ],
  restDayOverrides: [],
  source: {
    issuer: '国务院办公厅',
    title: '国务院办公厅关于2026年部分节假日安排的通知',
    issuedOn: '2025-11-04',
    url: 'https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
  },
  evidence: {
    tag: 'S',
    refs: [
      'docs/domain.md §4.3 [S P32] politics.gmw.cn/2025-11/04/content_38391083.htm',
      'npm chinese-days@1.5.7 dist/years/2026.json: same dates; source.url as quoted in its src/holidays/generate.ts [S]',
    ],
  },
};
