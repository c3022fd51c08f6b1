import type { Calendar } from '../calendar.js';
import { dayRange } from '../day-range.js';

/**
 * Xinjiang additions for 2025 [S P34]: 肉孜节 (the festival was Mon 31 Mar) and 古尔邦节 (the festival was
 * Fri 6 Jun). All national dates are otherwise identical [S P34], so no make-up day is overridden.
 */
export const xinjiang2025: Calendar = {
  region: 'xinjiang',
  year: 2025,
  version: 1,
  provisional: false,
  holidays: [
    ...dayRange('2025-03-29', '2025-03-31', '肉孜节'), // Sat–Mon
    ...dayRange('2025-06-06', '2025-06-10', '古尔邦节'), // Fri–Tue
  ],
  makeUpWorkdays: [],
  restDayOverrides: [],
  source: {
    issuer: '新疆维吾尔自治区人民政府办公厅',
    title: '关于2025年节假日放假安排和冬夏季作息时间的通知',
  },
  evidence: {
    tag: 'S',
    refs: ['docs/domain.md §4.3 [S P34] mnw.cn/news/cj/3018205.html (source: Xinjiang government)'],
  },
};
