import type { Calendar } from '../calendar.js';
import { dayRange } from '../day-range.js';

/**
 * 国务院办公厅关于2024年部分节假日安排的通知, 国办发明电〔2023〕7号, 2023-10-25 [R], under the 2013 revision of
 * 《全国年节及纪念日放假办法》. 元旦 "1月1日放假，与周末连休": 2023-12-30/31 are ordinary weekend days of 2023.
 */
export const national2024: Calendar = {
  region: 'national',
  year: 2024,
  version: 1,
  provisional: false,
  holidays: [
    ...dayRange('2024-01-01', '2024-01-01', '元旦'),
    ...dayRange('2024-02-10', '2024-02-17', '春节'),
    ...dayRange('2024-04-04', '2024-04-06', '清明节'),
    ...dayRange('2024-05-01', '2024-05-05', '劳动节'),
    ...dayRange('2024-06-10', '2024-06-10', '端午节'),
    ...dayRange('2024-09-15', '2024-09-17', '中秋节'),
    ...dayRange('2024-10-01', '2024-10-07', '国庆节'),
  ],
  makeUpWorkdays: [
    { date: '2024-02-04', name: '春节调休上班' }, // Sun
    { date: '2024-02-18', name: '春节调休上班' }, // Sun
    { date: '2024-04-07', name: '清明节调休上班' }, // Sun
    { date: '2024-04-28', name: '劳动节调休上班' }, // Sun
    { date: '2024-05-11', name: '劳动节调休上班' }, // Sat
    { date: '2024-09-14', name: '中秋节调休上班' }, // Sat
    { date: '2024-09-29', name: '国庆节调休上班' }, // Sun
    { date: '2024-10-12', name: '国庆节调休上班' }, // Sat
  ],
  restDayOverrides: [],
  source: {
    issuer: '国务院办公厅',
    title: '国务院办公厅关于2024年部分节假日安排的通知',
    number: '国办发明电〔2023〕7号',
    issuedOn: '2023-10-25',
    url: 'https://www.gov.cn/zhengce/content/202310/content_6911527.htm',
  },
  evidence: {
    tag: 'S',
    refs: [
      '国办发明电〔2023〕7号: number, date and dates recalled [R], full text not re-read',
      'npm chinese-days@1.5.7 src/holidays/generate.ts and dist/years/2024.json: same dates, quotes the notice and the gov.cn URL [S]',
    ],
    note: 'Cross-checked day by day in chinese-days-crosscheck.spec.ts.',
  },
};
