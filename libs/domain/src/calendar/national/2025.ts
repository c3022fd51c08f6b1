import type { Calendar } from '../calendar.js';
import { dayRange } from '../day-range.js';

/**
 * 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号, 2024-11-12 [S P33]: the first year under the
 * 2024 revision of 《全国年节及纪念日放假办法》 (国务院令第795号 [V L6]: Spring Festival 4 days, Labour Day 2 days).
 */
export const national2025: Calendar = {
  region: 'national',
  year: 2025,
  version: 1,
  provisional: false,
  holidays: [
    ...dayRange('2025-01-01', '2025-01-01', '元旦'),
    ...dayRange('2025-01-28', '2025-02-04', '春节'),
    ...dayRange('2025-04-04', '2025-04-06', '清明节'),
    ...dayRange('2025-05-01', '2025-05-05', '劳动节'),
    ...dayRange('2025-05-31', '2025-06-02', '端午节'),
    ...dayRange('2025-10-01', '2025-10-08', '国庆节、中秋节'),
  ],
  makeUpWorkdays: [
    { date: '2025-01-26', name: '春节调休上班' }, // Sun
    { date: '2025-02-08', name: '春节调休上班' }, // Sat
    { date: '2025-04-27', name: '劳动节调休上班' }, // Sun
    { date: '2025-09-28', name: '国庆节、中秋节调休上班' }, // Sun
    { date: '2025-10-11', name: '国庆节、中秋节调休上班' }, // Sat
  ],
  restDayOverrides: [],
  source: {
    issuer: '国务院办公厅',
    title: '国务院办公厅关于2025年部分节假日安排的通知',
    number: '国办发明电〔2024〕12号',
    issuedOn: '2024-11-12',
    url: 'https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm',
  },
  evidence: {
    tag: 'S',
    refs: [
      'docs/domain.md §4.3 [S P33] m.gmw.cn/2024-11/12/content_1303894933.htm',
      'npm chinese-days@1.5.7 dist/years/2025.json: same dates; source.url as quoted in its src/holidays/generate.ts [S]',
    ],
  },
};
