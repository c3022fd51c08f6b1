import type { Calendar } from '../calendar.js';
import { dayRange } from '../day-range.js';

/**
 * Xinjiang additions for 2023 (自治区人民政府令第174号 sets 肉孜节 and 古尔邦节 [S P35]): the regional notice of
 * 2022-12-25 [S P35]. The summary seen reports no change to the national make-up days, so none is overridden.
 */
export const xinjiang2023: Calendar = {
  region: 'xinjiang',
  year: 2023,
  version: 1,
  provisional: false,
  holidays: [
    ...dayRange('2023-04-21', '2023-04-21', '肉孜节'), // Fri
    ...dayRange('2023-06-28', '2023-06-30', '古尔邦节'), // Wed–Fri
  ],
  makeUpWorkdays: [],
  restDayOverrides: [],
  source: {
    issuer: '新疆维吾尔自治区人民政府办公厅',
    title: '关于2023年节假日放假安排和冬夏季作息时间的通知',
    issuedOn: '2022-12-25',
  },
  evidence: {
    tag: 'S',
    refs: ['docs/domain.md §4.3 [S P35] meili43.com/yule/2023/0103/333850.html'],
    note: 'Secondary summary of the regional notice; no override of national make-up days reported.',
  },
};
