import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  type CalendarSet,
  CalendarYearNotPublishedError,
  type DueDateRequest,
  dueDate,
  endOfDayInShanghai,
  type Region,
  validateCalendar,
} from '@minsheng/domain';
import {
  loadCalendarSet,
  loadPublishedCalendars,
  raiseOperatorAlert,
  recomputeRunningClocks,
  recordAudit,
  resolveOperatorAlerts,
} from '@minsheng/infra';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { type PublishCalendarBody } from './calendar.request.js';

export const YEAR_NOT_PUBLISHED_ALERT = 'calendar.year-not-published';

/**
 * The official calendar as data in PostgreSQL. A count that reaches a year nobody published fails closed
 * (`CALENDAR.YEAR_NOT_PUBLISHED`, 422) and raises an operator alert: the State Council publishes each year's
 * schedule in the autumn before (reference.md §4.1), and someone must enter it before deadlines reach that year.
 */
@Injectable()
export class CalendarService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async dueDate(request: DueDateRequest) {
    const set = await loadCalendarSet(this.dataSource);
    const result = await this.alerting(() => dueDate(request, set));
    return { due: result.due, dueAt: endOfDayInShanghai(result.due).toISOString(), explanation: result.explanation };
  }

  /** The calendar in force for a region and year, with the published layers it is built from. */
  async year(region: Region, year: number) {
    const rows = await loadPublishedCalendars(this.dataSource);
    const set = await loadCalendarSet(this.dataSource);
    const resolved = await this.alerting(() => set.resolve(region, year));
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
          source: layer.source,
          evidence: layer.evidence,
          publishedBy: row?.publishedBy ?? null,
          publishedAt: row?.publishedAt ?? null,
          origin: row?.source ?? null,
        };
      }),
      versions: rows
        .filter((r) => r.year === year && (r.region === region || r.region === 'national'))
        .map((r) => ({ region: r.region, version: r.version, publishedAt: r.publishedAt, publishedBy: r.publishedBy })),
    };
  }

  /**
   * Publishes a new version of one region's year, audited in the same transaction, and moves the due dates of the
   * running clocks it changes (each recorded on its case). Concurrent publications of the same year serialise on
   * an advisory lock, so two operators cannot both publish "version 3".
   */
  async publish(year: number, body: PublishCalendarBody, staff: StaffIdentity, requestId: string) {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('calendars/' || $1 || '/' || $2))`, [body.region, year]);
      const [{ next }] = (await tx.query(
        `SELECT coalesce(max(version), 0) + 1 AS next FROM calendars WHERE region = $1 AND year = $2`,
        [body.region, year],
      )) as [{ next: number }];
      const calendar = validateCalendar({ ...body, year, version: next });
      const actor = `staff:${staff.subject}`;
      await tx.query(
        `INSERT INTO calendars (region, year, version, body, published_by, source) VALUES ($1, $2, $3, $4, $5, 'operator')`,
        [calendar.region, year, calendar.version, JSON.stringify(calendar), actor],
      );
      // Validates the assembled region calendar too (an override must name a national make-up day).
      const set: CalendarSet = await loadCalendarSet(tx);
      set.resolve(calendar.region, year);
      const recomputed = await recomputeRunningClocks(
        tx,
        set,
        { region: calendar.region, year, version: calendar.version },
        actor,
        requestId,
      );
      await recordAudit(tx, {
        actor,
        actorRole: 'operator',
        action: 'calendar.publish',
        target: `calendar:${calendar.region}/${year}`,
        details: {
          version: calendar.version,
          holidays: calendar.holidays.length,
          makeUpWorkdays: calendar.makeUpWorkdays.length,
          restDayOverrides: calendar.restDayOverrides.length,
          clocksRecomputed: recomputed.recomputed.length,
        },
        requestId,
      });
      await resolveOperatorAlerts(tx, YEAR_NOT_PUBLISHED_ALERT, `${calendar.region}/${year}`);
      return { calendar, recomputed };
    });
  }

  private async alerting<T>(count: () => T): Promise<T> {
    try {
      return count();
    } catch (error) {
      if (error instanceof CalendarYearNotPublishedError) {
        await raiseOperatorAlert(this.dataSource, {
          kind: YEAR_NOT_PUBLISHED_ALERT,
          // Keyed by the missing layer (national/2027, xinjiang/2027): publishing that layer resolves it.
          key: error.missing,
          details: { countedIn: error.region, year: error.year },
        });
      }
      throw error;
    }
  }
}
