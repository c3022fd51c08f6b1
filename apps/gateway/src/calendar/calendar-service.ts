import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  type Calendar,
  CalendarSet,
  type Clock,
  draftCalendarYear,
  type DueDateRequest,
  dueDate,
  endOfDayInShanghai,
  type Region,
  validateCalendar,
} from '@minsheng/domain';
import {
  calendarRecomputationsOfYear,
  InjectClock,
  loadCalendarSet,
  loadPublishedCalendars,
  previewClockRecomputation,
  publishCalendarLayer,
  transactionWithRetry,
} from '@minsheng/infra';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { type PublishCalendarBody } from './calendar.request.js';

/** What a draft cannot know: said with every draft, so the reviewer knows what to check against the notices. */
export const DRAFT_LIMITATIONS = [
  'No make-up working days (调休上班, 《全国年节及纪念日放假办法》 art. 7) and no bridging days: the State Council ' +
    'notice decides them. Add them to makeUpWorkdays and holidays from the notice.',
  'No weekday in lieu of a statutory day that falls on a weekend (art. 6 requires one; the notice chooses it).',
  '肉孜节 and 古尔邦节 are estimated from the Umm al-Qura calendar; the Xinjiang regional notice decides the dates ' +
    '(it has differed by one day) and the length of each block.',
] as const;

/** A layer in the body `PUT /v1/calendar/{year}` accepts, so an operator can review, edit and publish it. */
function asPublishBody(calendar: Calendar) {
  return {
    region: calendar.region,
    status: calendar.provisional ? ('provisional' as const) : ('official' as const),
    holidays: calendar.holidays,
    makeUpWorkdays: calendar.makeUpWorkdays,
    restDayOverrides: calendar.restDayOverrides,
    source: calendar.source,
    evidence: calendar.evidence,
  };
}

/**
 * The official calendar as data in PostgreSQL. A count that reaches a year nobody published fails closed
 * (`CALENDAR.YEAR_NOT_PUBLISHED`, 422): the State Council publishes each year's schedule in the autumn before
 * (docs/domain.md §4.1), and someone must enter it before deadlines reach that year. The public reads write nothing:
 * operators are alerted by the engine (a clock waiting for the year) and by the worker's November check, never by
 * an anonymous request, which could otherwise fill `operator_alerts` with any year up to 9999.
 */
@Injectable()
export class CalendarService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async dueDate(request: DueDateRequest) {
    const set = await loadCalendarSet(this.dataSource);
    const result = dueDate(request, set);
    return {
      due: result.due,
      dueAt: endOfDayInShanghai(result.due).toISOString(),
      /** The count used a provisional calendar (listed in `explanation.unconfirmed`). */
      provisional: result.explanation.unconfirmed.length > 0,
      explanation: result.explanation,
    };
  }

  /** The calendar in force for a region and year, with the published layers it is built from. */
  async year(region: Region, year: number) {
    const rows = await loadPublishedCalendars(this.dataSource);
    const set = await loadCalendarSet(this.dataSource);
    const resolved = set.resolve(region, year);
    const days = (map: ReadonlyMap<string, string>) =>
      [...map].sort(([a], [b]) => a.localeCompare(b)).map(([date, name]) => ({ date, name }));
    return {
      region,
      year,
      provisional: resolved.provisional,
      holidays: days(resolved.holidays),
      makeUpWorkdays: days(resolved.makeUpWorkdays),
      restDayOverrides: days(resolved.restDayOverrides),
      layers: resolved.layers.map((layer) => {
        const row = rows.find((r) => r.region === layer.region && r.year === layer.year && r.version === layer.version);
        return {
          region: layer.region,
          year: layer.year,
          version: layer.version,
          provisional: layer.provisional,
          status: layer.provisional ? 'provisional' : 'official',
          source: layer.source,
          evidence: layer.evidence,
          publishedBy: row?.publishedBy ?? null,
          publishedAt: row?.publishedAt ?? null,
          origin: row?.source ?? null,
        };
      }),
      versions: rows
        .filter((r) => r.year === year && (r.region === region || r.region === 'national'))
        .map((r) => ({
          region: r.region,
          version: r.version,
          status: r.body.provisional ? 'provisional' : 'official',
          publishedAt: r.publishedAt,
          publishedBy: r.publishedBy,
        })),
    };
  }

  /**
   * The national and Xinjiang layers of `year` drafted from the statutory rules (`draftCalendarYear`), each as a
   * `PUT /v1/calendar/{year}` body with `status: "provisional"`. Writes nothing. `CALENDAR.DRAFT_YEAR_UNSUPPORTED`
   * outside the years the 2024 holiday rules cover.
   */
  draft(year: number) {
    const { national, xinjiang } = draftCalendarYear(year);
    return {
      year,
      national: asPublishBody(national),
      xinjiang: asPublishBody(xinjiang),
      cannotKnow: DRAFT_LIMITATIONS,
      howToPublish:
        `Review and correct each layer, then PUT /v1/calendar/${year} with the national layer first and the xinjiang ` +
        'layer second. Keep status "provisional" until the notices are out; publish them later with status "official".',
    };
  }

  /** The recomputations of the year's published versions, newest first (progress for operators). */
  recomputations(year: number) {
    return calendarRecomputationsOfYear(this.dataSource, year);
  }

  /**
   * Publishes a new version of one region's year, audited in the same transaction, and queues the recomputation of
   * the running clocks it can change (the worker moves them in batches). See `publishCalendarLayer` for the alerts
   * it resolves.
   */
  async publish(year: number, body: PublishCalendarBody, staff: StaffIdentity, requestId: string) {
    const { status, ...layer } = body;
    return transactionWithRetry(this.dataSource, (tx) =>
      publishCalendarLayer(
        tx,
        year,
        { ...layer, provisional: status === 'provisional' },
        { actor: `staff:${staff.subject}`, actorRole: 'operator', origin: 'operator' },
        this.clock.now(),
        requestId,
      ),
    );
  }

  /**
   * What publishing `body` as the next version of its region's year would do to the running clocks, before it is
   * published: the layer checked as `publish` checks it, the calendars with it counted, and the running clocks
   * whose due date or provisional mark would change, with the same `planClock` the recomputation uses. Reads only.
   */
  async preview(year: number, body: PublishCalendarBody) {
    const { status, ...layer } = body;
    const published = await loadPublishedCalendars(this.dataSource);
    const version =
      Math.max(0, ...published.filter((r) => r.region === layer.region && r.year === year).map((r) => r.version)) + 1;
    const calendar = validateCalendar({ ...layer, provisional: status === 'provisional', year, version });
    const set = CalendarSet.of([...published.map((r) => r.body), calendar]);
    set.resolve(calendar.region, year);
    const clocks = await previewClockRecomputation(this.dataSource, set, { region: calendar.region, year, version });
    return { region: calendar.region, year, version, status, clocks };
  }
}
