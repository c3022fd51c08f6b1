import type { IsoDate } from './calendar-date.js';

/**
 * Which official calendar a deadline is counted in. `national` is the State Council schedule; `xinjiang` is the
 * national schedule merged with the Xinjiang regional notice (肉孜节, 古尔邦节, and any national make-up working day
 * Xinjiang declares a rest day). Urumqi cases count in `xinjiang` (docs/domain.md §4.1).
 */
export const REGIONS = ['national', 'xinjiang'] as const;
export type Region = (typeof REGIONS)[number];

/** Evidence tags of docs/domain.md §0.1: checked [V], secondary [S], recalled [R], guessed [G], or unknown. */
import { type Evidence } from '../catalog/evidence.js';

/** The evidence tags of docs/domain.md §0.1, shared with the catalog. */
export type EvidenceTag = Evidence;

export interface CalendarEvidence {
  readonly tag: EvidenceTag;
  /** Where the dates come from, each with its own tag, e.g. `docs/domain.md §4.3 [S P33]`. */
  readonly refs: readonly string[];
  readonly note?: string;
}

/** The notice a year's calendar is taken from. */
export interface CalendarSource {
  readonly issuer: string; // 国务院办公厅, 新疆维吾尔自治区人民政府办公厅
  readonly title: string;
  /** Document number (文号), e.g. 国办发明电〔2024〕12号; absent when not known. */
  readonly number?: string;
  readonly issuedOn?: IsoDate;
  readonly url?: string;
}

export interface CalendarDay {
  readonly date: IsoDate;
  /** The festival or arrangement as the notice names it, e.g. 春节 or 春节调休上班. */
  readonly name: string;
}

/**
 * One published year of one region's notice, as data. A correction is published as a new `version` of the same
 * (region, year); the highest version wins and older versions stay for the record.
 *
 * Every date lies in `year`. Holiday blocks that straddle New Year are split by the year a day falls in (the 2023
 * notice's 2022-12-31 belongs to year 2022); the straddling days so far were all weekends.
 *
 * For `national`: `holidays` are the days off (放假, including the weekend days inside a block), `makeUpWorkdays`
 * the weekend days declared working days (调休上班), `restDayOverrides` is empty.
 * For `xinjiang`: the regional additions only. `holidays` are the extra days off (肉孜节, 古尔邦节), `makeUpWorkdays`
 * any extra regional make-up days, and `restDayOverrides` national make-up working days that are rest days in
 * Xinjiang (as in 2014, when Xinjiang cancelled the national 28 Sep and 11 Oct make-up days [S P36]).
 *
 * `provisional: true` marks a year whose official notice was not available: its dates are estimates. Counting in
 * it works, but every explanation that used it lists it under `unconfirmed` so a reviewer sees it; publish a higher
 * version from the notice to confirm it.
 */
export interface Calendar {
  readonly region: Region;
  readonly year: number;
  readonly version: number;
  readonly provisional: boolean;
  readonly holidays: readonly CalendarDay[];
  readonly makeUpWorkdays: readonly CalendarDay[];
  readonly restDayOverrides: readonly CalendarDay[];
  readonly source: CalendarSource;
  readonly evidence: CalendarEvidence;
}

/** `national/2025`: how explanations name a published calendar. */
export type CalendarKey = `${Region}/${number}`;

export function calendarKey(region: Region, year: number): CalendarKey {
  return `${region}/${year}`;
}

/** A provisional calendar a computation used: the result rests on estimated dates. */
export interface UnconfirmedCalendar {
  readonly calendar: CalendarKey;
  readonly version: number;
  readonly note: string;
}
