import { Lunar } from 'lunar-typescript';
import { DomainError } from '../errors/domain-error.js';
import { addDays, isWeekend, toDayNumber, yearOf, type IsoDate } from './calendar-date.js';
import type { Calendar, CalendarDay } from './calendar.js';

/**
 * Provisional calendars for a year whose notices are not out yet, drafted from the rules alone (docs/calendars.md,
 * "Drafting a year the State Council has not published"). A draft is never a notice: it is `provisional: true`,
 * tagged [G], and is to be replaced by a higher version taken from the State Council and Xinjiang notices.
 */

/** The first year under the 2024 revision of 《全国年节及纪念日放假办法》 (国务院令第795号, in force 2025-01-01). */
export const FIRST_DRAFTABLE_YEAR = 2025;
/** Far enough ahead for planning, and inside ICU's Umm al-Qura table (AH 1300–1600, about 1882–2174). */
export const LAST_DRAFTABLE_YEAR = 2100;

export interface DraftCalendarYear {
  readonly national: Calendar;
  readonly xinjiang: Calendar;
}

const NATIONAL_RULE = '《全国年节及纪念日放假办法》（2024年修订，国务院令第795号）';
const DOCS_REF = 'docs/calendars.md, "Drafting a year the State Council has not published" [G]';

function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function days(first: IsoDate, count: number, name: string): CalendarDay[] {
  return Array.from({ length: count }, (_, offset) => ({ date: addDays(first, offset), name }));
}

/** The Gregorian date of a day of the (non-leap) lunar month `month` of lunar year `year`, in Beijing time. */
function lunarDate(year: number, month: number, day: number): IsoDate {
  return Lunar.fromYmd(year, month, day).getSolar().toYmd();
}

/**
 * The statutory days for everyone of 《全国年节及纪念日放假办法》 art. 2 in `year`, sorted, one entry per date. When
 * two festivals share a date (中秋节 on 1–3 Oct, as in 2028) the date is listed once under both names, in the style
 * of the notices (国庆节、中秋节).
 */
function statutoryDays(year: number): CalendarDay[] {
  const lunarNewYear = lunarDate(year, 1, 1);
  const qingming = Lunar.fromYmd(year, 1, 1).getJieQiTable()['清明']?.toYmd();
  if (qingming === undefined) {
    throw new DomainError('CALENDAR.DRAFT_FAILED', `no 清明 solar term found for ${year}`, { year });
  }
  const festivals = [
    days(isoDate(year, 1, 1), 1, '元旦'),
    // 除夕 (the last day of the 12th lunar month, 29th or 30th) is the day before 正月初一: always 20 Jan–19 Feb.
    days(addDays(lunarNewYear, -1), 4, '春节'),
    days(qingming, 1, '清明节'),
    days(isoDate(year, 5, 1), 2, '劳动节'),
    days(lunarDate(year, 5, 5), 1, '端午节'),
    days(isoDate(year, 10, 1), 3, '国庆节'),
    days(lunarDate(year, 8, 15), 1, '中秋节'),
  ].flat();
  const byDate = new Map<IsoDate, string>();
  for (const { date, name } of festivals) {
    const existing = byDate.get(date);
    byDate.set(date, existing === undefined ? name : `${existing}、${name}`);
  }
  return [...byDate].sort(([a], [b]) => a.localeCompare(b)).map(([date, name]) => ({ date, name }));
}

/**
 * Islamic dates come from the host's ICU. Umm al-Qura (Saudi Arabia's official calendar, a table ICU ships) rather
 * than islamic-civil (pure arithmetic): against the festival days of the Xinjiang notices of 2022, 2023 and 2025
 * Umm al-Qura gives 5 of 6 exactly (2025 肉孜节: 30 Mar against the notice's 31 Mar), islamic-civil 1 of 6.
 * A Node built without full ICU silently falls back to the Gregorian calendar, so the resolved calendar is checked.
 */
let islamicFormat: Intl.DateTimeFormat | undefined;

function islamicMonthDay(date: IsoDate): { month: number; day: number } {
  if (islamicFormat === undefined) {
    const format = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura-nu-latn', {
      timeZone: 'UTC',
      month: 'numeric',
      day: 'numeric',
    });
    const calendar = format.resolvedOptions().calendar;
    if (calendar !== 'islamic-umalqura') {
      throw new DomainError('CALENDAR.DRAFT_FAILED', `this runtime's ICU has no islamic-umalqura calendar`, {
        calendar,
      });
    }
    islamicFormat = format;
  }
  // Midnight UTC of the civil date, formatted in UTC: the host time zone cannot shift the day.
  const parts = islamicFormat.formatToParts(new Date(toDayNumber(date) * 86_400_000));
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return { month: part('month'), day: part('day') };
}

/**
 * Xinjiang's regional festivals (自治区人民政府令第174号 [S P34, P35, P37]): 肉孜节 on 1 Shawwal (month 10) and
 * 古尔邦节 on 10 Dhu al-Hijjah (month 12). `weekdays` is the number of weekdays off each block gives, read from the
 * shipped years (docs/domain.md §4.3): 肉孜节 one (2022 [S P53], 2023 [S P35]; in 2025 [S P34] the festival day, a
 * Monday, plus the weekend before it), 古尔邦节 three, the block running from the festival day through the third
 * weekday (2022 Sat–Wed, 2023 Wed–Fri, 2025 Fri–Tue). A weekday that is already a national statutory day does not
 * count [G]: the 2022 notice seems to have done the same, giving its one 肉孜节 day on 5 May, right after the
 * national Labour Day block of 30 Apr–4 May in which the festival fell [S P53].
 */
const REGIONAL_FESTIVALS = [
  { name: '肉孜节（估计）', month: 10, day: 1, weekdays: 1 },
  { name: '古尔邦节（估计）', month: 12, day: 10, weekdays: 3 },
] as const;

function regionalDays(year: number, statutory: ReadonlySet<IsoDate>): CalendarDay[] {
  const result: CalendarDay[] = [];
  // A block starting in late December of the year before can reach into `year` (no statutory day falls in December,
  // so `year`'s statutory days are all the block needs to skip); an Eid can also fall twice in one
  // Gregorian year (2033: 肉孜节 on 3 Jan and 23 Dec), and every occurrence gets its block.
  for (let date = isoDate(year - 1, 12, 15); yearOf(date) <= year; date = addDays(date, 1)) {
    const { month, day } = islamicMonthDay(date);
    const festival = REGIONAL_FESTIVALS.find((f) => f.month === month && f.day === day);
    if (festival === undefined) continue;
    let weekdaysOff = 0;
    for (let blockDay = date; weekdaysOff < festival.weekdays; blockDay = addDays(blockDay, 1)) {
      if (!isWeekend(blockDay) && !statutory.has(blockDay)) weekdaysOff += 1;
      if (yearOf(blockDay) === year) result.push({ date: blockDay, name: festival.name });
    }
  }
  return result;
}

/**
 * Drafts the national and Xinjiang layers of `year` from the rules, for planning before the notices are out
 * (docs/calendars.md). Both are `provisional: true`, `version: 1` (a placeholder: the publisher assigns the version)
 * and pass `validateCalendar`.
 * - national: exactly the statutory days of 《全国年节及纪念日放假办法》 art. 2, weekend days included. No make-up
 *   working day (调休, art. 7) and no bridging day is drafted, and neither is the weekday substitute of art. 6 for a
 *   statutory day on a weekend: the notice chooses those days. A due date counted in a draft can therefore come
 *   out earlier or later than the official one.
 * - xinjiang: 肉孜节 and 古尔邦节 estimated from the Umm al-Qura calendar; the regional notice decides, and its
 *   festival day can differ by a day from the astronomical one.
 * Pure and deterministic: lunar dates and 清明 come from lunar-typescript, Islamic dates from ICU, and neither
 * depends on the clock or the host time zone. Throws `CALENDAR.DRAFT_YEAR_UNSUPPORTED` outside
 * {@link FIRST_DRAFTABLE_YEAR}–{@link LAST_DRAFTABLE_YEAR}: earlier years had other statutory days.
 */
export function draftCalendarYear(year: number): DraftCalendarYear {
  if (!Number.isInteger(year) || year < FIRST_DRAFTABLE_YEAR || year > LAST_DRAFTABLE_YEAR) {
    throw new DomainError(
      'CALENDAR.DRAFT_YEAR_UNSUPPORTED',
      `can only draft years ${FIRST_DRAFTABLE_YEAR} to ${LAST_DRAFTABLE_YEAR} from the 2024 holiday rules`,
      { field: 'year', value: year },
    );
  }
  const statutory = statutoryDays(year);
  const national: Calendar = {
    region: 'national',
    year,
    version: 1,
    provisional: true,
    holidays: statutory,
    makeUpWorkdays: [],
    restDayOverrides: [],
    source: {
      issuer: '国务院',
      title: `${year}年节假日草案：按${NATIONAL_RULE}第二条推算，非国务院办公厅通知`,
      number: '国务院令第795号',
    },
    evidence: {
      tag: 'G',
      refs: [
        DOCS_REF,
        'docs/domain.md §4.1 [V L6 art. 2]: the statutory days',
        'lunar dates and the 清明 solar term: npm lunar-typescript [G]',
      ],
      note:
        `Drafted from the statutory rules (${NATIONAL_RULE} art. 2): statutory days only, no 调休 make-up ` +
        `working days, no bridging days, no art. 6 weekday substitutes. To be replaced by the State Council notice ` +
        `国务院办公厅关于${year}年部分节假日安排的通知.`,
    },
  };
  const xinjiang: Calendar = {
    region: 'xinjiang',
    year,
    version: 1,
    provisional: true,
    holidays: regionalDays(year, new Set(statutory.map((day) => day.date))),
    makeUpWorkdays: [],
    restDayOverrides: [],
    source: {
      issuer: '新疆维吾尔自治区人民政府',
      title: `${year}年肉孜节、古尔邦节草案：按伊斯兰历（Umm al-Qura）估计，非自治区人民政府办公厅通知`,
    },
    evidence: {
      tag: 'G',
      refs: [
        DOCS_REF,
        'festival days: ICU islamic-umalqura (1 Shawwal, 10 Dhu al-Hijjah), not the regional notice [G]',
        'block lengths: pattern of docs/domain.md §4.3 (2022 [S P53], 2023 [S P35], 2025 [S P34]) [G]',
      ],
      note:
        'Estimated: the festival days are astronomical (Umm al-Qura) and the regional notice decides; its festival ' +
        'day can differ by one day (2025: 31 Mar against 30 Mar). No override of national make-up days drafted. To ' +
        `be replaced by 关于${year}年节假日放假安排和冬夏季作息时间的通知.`,
    },
  };
  return { national, xinjiang };
}
