import { randomUUID } from 'node:crypto';
import { type CalendarSet, DomainError, type Region, startOfDayInShanghai } from '@minsheng/domain';
import { appendCaseEvents, type Queryable } from '../case-log/case-event-chain.js';
import { writeOutbox } from '../case-log/outbox.js';
import { CLOCK_COLUMNS, clockFacts, type ClockRow } from './clock-rows.js';
import { scheduleClock } from './clock-schedule.js';

export interface RecomputedClock {
  readonly caseId: string;
  readonly clock: string;
  readonly fromDueAt: string;
  readonly toDueAt: string;
  readonly generation: number;
}

export interface RecomputeResult {
  readonly examined: number;
  readonly recomputed: readonly RecomputedClock[];
  /** Clocks whose new count ran into an unpublished year: they keep their due date and raise an alert. */
  readonly failed: readonly { caseId: string; clock: string; code: string }[];
}

/**
 * After a calendar year is published or corrected, moves the due date of every running clock whose count it can
 * change: clocks counted in that region (a national change reaches the Xinjiang counts too, which are built on it)
 * that run through that year. Each move locks the case row (one writer per case, design.md invariant 4), appends a
 * `CLOCK_RECOMPUTED` event, moves the generation on (the old timers become no-ops) and writes `clock.changed`
 * so the timers are re-armed. Runs in the caller's transaction, so the calendar and the moves commit together.
 */
export async function recomputeRunningClocks(
  q: Queryable,
  set: CalendarSet,
  changed: { region: Region; year: number; version: number },
  actor: string,
  requestId: string | null = null,
): Promise<RecomputeResult> {
  const yearStart = startOfDayInShanghai(`${changed.year}-01-01`);
  const yearEnd = startOfDayInShanghai(`${changed.year + 1}-01-01`);
  const candidates = (await q.query(
    `SELECT id, case_id FROM case_clocks
     WHERE stopped_at IS NULL AND ($1 = 'national' OR region = $1) AND started_at < $2 AND due_at >= $3
     ORDER BY case_id, id`,
    [changed.region, yearEnd.toISOString(), yearStart.toISOString()],
  )) as { id: string; case_id: string }[];

  const recomputed: RecomputedClock[] = [];
  const failed: { caseId: string; clock: string; code: string }[] = [];
  const byCase = new Map<string, string[]>();
  for (const c of candidates) byCase.set(c.case_id, [...(byCase.get(c.case_id) ?? []), c.id]);

  for (const [caseId, clockIds] of byCase) {
    const [head] = (await q.query(`SELECT last_event_seq, last_event_hash FROM cases WHERE id = $1 FOR UPDATE`, [
      caseId,
    ])) as { last_event_seq: number; last_event_hash: string | null }[];
    if (!head) continue;
    let chain = { seq: head.last_event_seq, hash: head.last_event_hash };
    const rows = (await q.query(
      `SELECT ${CLOCK_COLUMNS} FROM case_clocks WHERE id = ANY($1::uuid[]) AND stopped_at IS NULL ORDER BY id FOR UPDATE`,
      [clockIds],
    )) as ClockRow[];
    for (const row of rows) {
      let schedule;
      try {
        schedule = scheduleClock(clockFacts(row), set);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        failed.push({ caseId, clock: row.clock, code: error.code });
        continue;
      }
      if (schedule.dueAt.getTime() === new Date(row.due_at).getTime()) continue;
      const generation = row.generation + 1;
      const movedLater = schedule.dueAt.getTime() > new Date(row.due_at).getTime();
      await q.query(
        `UPDATE case_clocks SET due_at = $2, explanation = $3, generation = $4, remind_at = NULL,
           reminded_at = CASE WHEN $5 THEN NULL ELSE reminded_at END
         WHERE id = $1`,
        [row.id, schedule.dueAt.toISOString(), JSON.stringify(schedule.explanation), generation, movedLater],
      );
      const change: RecomputedClock = {
        caseId,
        clock: row.clock,
        fromDueAt: new Date(row.due_at).toISOString(),
        toDueAt: schedule.dueAt.toISOString(),
        generation,
      };
      chain = await appendCaseEvents(q, caseId, chain, [
        {
          id: randomUUID(),
          type: 'CLOCK_RECOMPUTED',
          actor,
          payload: {
            clock: row.clock,
            fromDueAt: change.fromDueAt,
            toDueAt: change.toDueAt,
            due: schedule.due,
            generation,
            calendar: `${changed.region}/${changed.year}`,
            calendarVersion: changed.version,
          },
          occurredAt: new Date(),
          requestId,
        },
      ]);
      await writeOutbox(q, [
        { kind: 'clock.changed', caseId, payload: { caseId, clock: row.clock, generation }, requestId },
      ]);
      recomputed.push(change);
    }
  }
  return { examined: candidates.length, recomputed, failed };
}
