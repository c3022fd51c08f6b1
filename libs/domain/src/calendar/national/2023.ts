import type { Calendar } from '../calendar.js';
import { dayRange } from '../day-range.js';

/**
 * 国务院办公厅关于2023年部分节假日安排的通知, 国办发明电〔2022〕16号, 2022-12-08 [R], under the 2013 revision of
 * 《全国年节及纪念日放假办法》 (Spring Festival 3 days, Labour Day 1 day).
 * 元旦 is "2022年12月31日至2023年1月2日": 2022-12-31 (a Saturday) belongs to year 2022 and is not listed here.
 */
export const national2023: Calendar = {
  region: 'national',
  year: 2023,
  version: 1,
  provisional: false,
  holidays: [
    ...dayRange('2023-01-01', '2023-01-02', '元旦'),
    ...dayRange('2023-01-21', '2023-01-27', '春节'),
    ...dayRange('2023-04-05', '2023-04-05', '清明节'),
    ...dayRange('2023-04-29', '2023-05-03', '劳动节'),
    ...dayRange('2023-06-22', '2023-06-24', '端午节'),
    ...dayRange('2023-09-29', '2023-10-06', '中秋节、国庆节'),
  ],
  makeUpWorkdays: [
    { date: '2023-01-28', name: '春节调休上班' }, // Sat
    { date: '2023-01-29', name: '春节调休上班' }, // Sun
    { date: '2023-04-23', name: '劳动节调休上班' }, // Sun
    { date: '2023-05-06', name: '劳动节调休上班' }, // Sat
    { date: '2023-06-25', name: '端午节调休上班' }, // Sun
    { date: '2023-10-07', name: '中秋节、国庆节调休上班' }, // Sat
    { date: '2023-10-08', name: '中秋节、国庆节调休上班' }, // Sun
  ],
  restDayOverrides: [],
  source: {
    issuer: '国务院办公厅',
    title: '国务院办公厅关于2023年部分节假日安排的通知',
    number: '国办发明电〔2022〕16号',
    issuedOn: '2022-12-08',
    url: 'http://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm',
  },
  evidence: {
    tag: 'S',
    refs: [
      '国办发明电〔2022〕16号: number, date and dates recalled [R], full text not re-read',
      'npm chinese-days@1.5.7 src/holidays/generate.ts and dist/years/2023.json: same dates, quotes the notice and the gov.cn URL [S]',
    ],
    note: 'Cross-checked day by day in chinese-days-crosscheck.spec.ts.',
  },
};
