import type { Calendar } from '../calendar.js';
import { dayRange } from '../day-range.js';

/**
 * Xinjiang additions for 2024: PROVISIONAL. The 2024 regional notice was not available and its dates are not
 * recalled reliably, so nothing here is official. The year is published as `provisional: true` rather than left
 * out, so that Urumqi cases can still be counted, while every explanation that touches 2024 lists
 * `xinjiang/2024` under `unconfirmed` (and `requireConfirmed` refuses it). Publish version 2 from the notice.
 *
 * Estimates [G]: the festival days are the widely observed dates (Eid al-Fitr Wed 10 Apr 2024, Eid al-Adha
 * Sun 16 Jun 2024); the lengths follow the pattern of 2022, 2023 and 2025 [S P53, P35, P34]: 肉孜节 is the festival
 * day (plus any adjoining weekend), 古尔邦节 runs from the festival day through three weekdays.
 */
export const xinjiang2024: Calendar = {
  region: 'xinjiang',
  year: 2024,
  version: 1,
  provisional: true,
  holidays: [
    ...dayRange('2024-04-10', '2024-04-10', '肉孜节（估计）'), // Wed
    ...dayRange('2024-06-16', '2024-06-19', '古尔邦节（估计）'), // Sun–Wed
  ],
  makeUpWorkdays: [],
  restDayOverrides: [],
  source: {
    issuer: '新疆维吾尔自治区人民政府办公厅',
    title: '关于2024年节假日放假安排和冬夏季作息时间的通知 (not obtained)',
  },
  evidence: {
    tag: 'G',
    refs: [
      'Eid dates: astronomical/observed dates, not the regional notice [G]',
      'holiday lengths: pattern of docs/domain.md §4.3 (2022 [S P53], 2023 [S P35], 2025 [S P34]) [G]',
    ],
    note: 'Regional notice not available: dates and overrides unknown.',
  },
};
