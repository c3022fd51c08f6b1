import type { Calendar } from '../calendar.js';
import { dayRange } from '../day-range.js';

/**
 * Xinjiang additions for 2026: PROVISIONAL. docs/domain.md §4.3 gives the 2026 regional dates as unknown, with
 * astronomical estimates only [G]: Eid al-Fitr ≈ Fri 20 Mar 2026, Eid al-Adha ≈ Wed 27 May 2026. They are published
 * as `provisional: true` so Urumqi cases can be counted, and every explanation that touches 2026 lists
 * `xinjiang/2026` under `unconfirmed` (and `requireConfirmed` refuses it). Publish version 2 from the notice.
 *
 * Lengths [G] follow the 2023 notice, whose festivals fell on the same weekdays [S P35]: 肉孜节 on a Friday was
 * one day; 古尔邦节 on a Wednesday ran Wednesday to Friday.
 */
export const xinjiang2026: Calendar = {
  region: 'xinjiang',
  year: 2026,
  version: 1,
  provisional: true,
  holidays: [
    ...dayRange('2026-03-20', '2026-03-20', '肉孜节（估计）'), // Fri
    ...dayRange('2026-05-27', '2026-05-29', '古尔邦节（估计）'), // Wed–Fri
  ],
  makeUpWorkdays: [],
  restDayOverrides: [],
  source: {
    issuer: '新疆维吾尔自治区人民政府办公厅',
    title: '关于2026年节假日放假安排和冬夏季作息时间的通知 (not obtained)',
  },
  evidence: {
    tag: 'G',
    refs: [
      'docs/domain.md §4.3: Eid al-Fitr ≈ 20 March 2026, Eid al-Adha ≈ 27 May 2026 (astronomical estimates) [G]',
      'holiday lengths: pattern of the 2023 notice [S P35] [G]',
    ],
    note: 'Regional notice not available: dates and overrides unknown.',
  },
};
