import { randomUUID } from 'node:crypto';
import { type CalendarSet, DomainError, type Region, startOfDayInShanghai } from '@minsheng/domain';
import { type ChainedCaseEvent, chainEvents, eventColumns, type Queryable } from '../case-log/case-event-chain.js';
import { writeOutbox } from '../case-log/outbox.js';
import { CLOCK_COLUMNS, clockFacts, type ClockRow } from './clock-rows.js';
import { planClock } from '@minsheng/domain';

export interface RecomputedClock {
  readonly caseId: string;
  readonly clock: string;
  /** Null when the clock was waiting for this calendar. */
  readonly fromDueAt: string | null;
  /** Null when the count still reaches another unpublished year (then `calendarMissing` names it). */
  readonly toDueAt: string | null;
  readonly calendarMissing?: string;
  /** Whether the due date before and after rested on a provisional calendar (false without a due date). */
  readonly fromProvisional: boolean;
  readonly toProvisional: boolean;
  readonly generation: number;
}

/** A published calendar version whose running clocks are recomputed. */
export interface CalendarChange {
  readonly region: Region;
  readonly year: number;
  readonly version: number;
}

/** Clocks per batch: one transaction, one lock on each of their cases, released at its commit. */
export const RECOMPUTE_BATCH_SIZE = 500;

export interface RecomputeBatch {
  /** Candidate clocks this batch looked at (at most the batch size). */
  readonly examined: number;
  readonly recomputed: readonly RecomputedClock[];
  /** Clocks whose new count needs a calendar that is still not published. */
  readonly failed: readonly { caseId: string; clock: string; code: string }[];
  /** The last clock id looked at: the next batch starts after it. Null when no candidate was left. */
  readonly lastClockId: string | null;
}

/**
 * The running clocks a publication of `changed` can move: clocks counted in that region (a national change reaches
 * the Xinjiang counts too, which are built on it) that run through that year, and clocks waiting for that layer.
 * `$5` is the keyset cursor (the last clock id of the batch before, or null).
 */
function candidates(changed: CalendarChange): { where: string; params: unknown[] } {
  const yearStart = startOfDayInShanghai(`${changed.year}-01-01`);
  const yearEnd = startOfDayInShanghai(`${changed.year + 1}-01-01`);
  return {
    where: `stopped_at IS NULL
       AND (($1 = 'national' OR region = $1) AND started_at < $2 AND due_at >= $3 OR calendar_missing = $4)`,
    params: [changed.region, yearEnd.toISOString(), yearStart.toISOString(), `${changed.region}/${changed.year}`],
  };
}

/** How many running clocks a recomputation of `changed` will look at (its progress total). */
export async function countRecomputeCandidates(q: Queryable, changed: CalendarChange): Promise<number> {
  const { where, params } = candidates(changed);
  const [row] = (await q.query(`SELECT count(*)::int AS n FROM case_clocks WHERE ${where}`, params)) as {
    n: number;
  }[];
  return row?.n ?? 0;
}

/**
 * One batch of the recomputation after a calendar year is published or corrected: the next `limit` candidate
 * clocks after `afterClockId` (keyset over clock ids), each moved to the due date `set` gives. Run it in a
 * transaction of its own: it locks the batch's cases in ascending id order, then their clocks (one writer per case,
 * docs/architecture.md invariant 4; the lock order, docs/operations.md "Lock order"), and the locks go with the
 * commit, so no case waits longer than one batch. Each moved clock gets a `CLOCK_RECOMPUTED` event on its case, a
 * new generation (the old timers become no-ops) and a `clock.changed` row so its timers are re-armed; the writes
 * are one statement each for the whole batch.
 *
 * A clock whose due date stays but whose `due_provisional` changes (the official notice confirms the draft's
 * dates, or a provisional correction replaces an official year) is recomputed the same way: the answers that show
 * the due date change, so the case records it (`fromProvisional`/`toProvisional`), and its reminder instant is
 * counted again in the new calendar. A clock the set already counts as stored is left alone, so running a batch
 * twice changes nothing the second time. `now` is the business instant the events are recorded at.
 */
export async function recomputeClockBatch(
  q: Queryable,
  set: CalendarSet,
  changed: CalendarChange,
  batch: { readonly afterClockId: string | null; readonly limit: number },
  actor: string,
  requestId: string | null,
  now: Date,
): Promise<RecomputeBatch> {
  const { where, params } = candidates(changed);
  const ids = (await q.query(
    `SELECT id, case_id FROM case_clocks WHERE ${where} AND ($5::uuid IS NULL OR id > $5::uuid) ORDER BY id LIMIT $6`,
    [...params, batch.afterClockId, batch.limit],
  )) as { id: string; case_id: string }[];
  if (ids.length === 0) return { examined: 0, recomputed: [], failed: [], lastClockId: null };

  const heads = (await q.query(
    `SELECT id, last_event_seq, last_event_hash FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [[...new Set(ids.map((c) => c.case_id))]],
  )) as { id: string; last_event_seq: number; last_event_hash: string | null }[];
  const chains = new Map(heads.map((h) => [h.id, { seq: h.last_event_seq, hash: h.last_event_hash }]));
  const rows = (await q.query(
    `SELECT ${CLOCK_COLUMNS} FROM case_clocks WHERE id = ANY($1::uuid[]) AND stopped_at IS NULL ORDER BY id FOR UPDATE`,
    [ids.map((c) => c.id)],
  )) as ClockRow[];

  const recomputed: RecomputedClock[] = [];
  const failed: { caseId: string; clock: string; code: string }[] = [];
  const updates: { row: ClockRow; plan: ReturnType<typeof planClock>; generation: number; movedLater: boolean }[] = [];
  const events: ChainedCaseEvent[] = [];
  for (const row of rows) {
    const caseId = row.case_id;
    const chain = chains.get(caseId);
    if (chain === undefined) continue;
    let plan;
    try {
      plan = planClock(clockFacts(row), set);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      failed.push({ caseId, clock: row.clock, code: error.code });
      continue;
    }
    const from = row.due_at === null ? null : new Date(row.due_at);
    if (
      plan.dueAt?.getTime() === from?.getTime() &&
      plan.calendarMissing === row.calendar_missing &&
      plan.provisional === row.due_provisional
    ) {
      continue;
    }
    if (plan.calendarMissing !== null) {
      failed.push({ caseId, clock: row.clock, code: 'CALENDAR.YEAR_NOT_PUBLISHED' });
      if (plan.calendarMissing === row.calendar_missing) continue;
    }
    const generation = row.generation + 1;
    // A later due date makes a reminder already sent stale: it may be sent again for the new date.
    const movedLater = from === null || plan.dueAt === null || plan.dueAt.getTime() > from.getTime();
    updates.push({ row, plan, generation, movedLater });
    const change: RecomputedClock = {
      caseId,
      clock: row.clock,
      fromDueAt: from?.toISOString() ?? null,
      toDueAt: plan.dueAt?.toISOString() ?? null,
      ...(plan.calendarMissing === null ? {} : { calendarMissing: plan.calendarMissing }),
      fromProvisional: row.due_provisional,
      toProvisional: plan.provisional,
      generation,
    };
    const [event] = chainEvents(caseId, chain, [
      {
        id: randomUUID(),
        type: 'CLOCK_RECOMPUTED',
        actor,
        payload: {
          clock: row.clock,
          fromDueAt: change.fromDueAt,
          toDueAt: change.toDueAt,
          due: plan.due,
          ...(plan.calendarMissing === null ? {} : { calendarMissing: plan.calendarMissing }),
          fromProvisional: change.fromProvisional,
          toProvisional: change.toProvisional,
          generation,
          calendar: `${changed.region}/${changed.year}`,
          calendarVersion: changed.version,
        },
        occurredAt: now,
        requestId,
      },
    ]);
    chains.set(caseId, { seq: event!.seq, hash: event!.hash });
    events.push(event!);
    recomputed.push(change);
  }

  if (updates.length > 0) {
    await q.query(
      `UPDATE case_clocks AS c SET due_at = u.due_at, calendar_missing = u.calendar_missing,
         explanation = u.explanation, generation = u.generation, remind_at = NULL,
         reminded_at = CASE WHEN u.moved_later THEN NULL ELSE c.reminded_at END, due_provisional = u.due_provisional
       FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::jsonb[], $5::int[], $6::boolean[], $7::boolean[])
         AS u(id, due_at, calendar_missing, explanation, generation, moved_later, due_provisional)
       WHERE c.id = u.id`,
      [
        updates.map((u) => u.row.id),
        updates.map((u) => u.plan.dueAt?.toISOString() ?? null),
        updates.map((u) => u.plan.calendarMissing),
        updates.map((u) => JSON.stringify(u.plan.explanation)),
        updates.map((u) => u.generation),
        updates.map((u) => u.movedLater),
        updates.map((u) => u.plan.provisional),
      ],
    );
    const [seq, id, type, eventActor, payload, occurredAt, eventRequestId, prevHash, hash] = eventColumns(events);
    await q.query(
      `INSERT INTO case_events (case_id, seq, id, type, actor, payload, occurred_at, request_id, prev_hash, hash)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[],
                            $7::timestamptz[], $8::text[], $9::text[], $10::text[])`,
      [events.map((e) => e.caseId), seq, id, type, eventActor, payload, occurredAt, eventRequestId, prevHash, hash],
    );
    const moved = [...new Set(events.map((e) => e.caseId))];
    await q.query(
      `UPDATE cases AS c SET last_event_seq = h.seq, last_event_hash = h.hash, updated_at = now()
       FROM unnest($1::uuid[], $2::int[], $3::text[]) AS h(id, seq, hash) WHERE c.id = h.id`,
      [moved, moved.map((caseId) => chains.get(caseId)!.seq), moved.map((caseId) => chains.get(caseId)!.hash)],
    );
    await writeOutbox(
      q,
      updates.map((u) => ({
        kind: 'clock.changed' as const,
        caseId: u.row.case_id,
        payload: { caseId: u.row.case_id, clock: u.row.clock, generation: u.generation },
        requestId,
      })),
    );
  }
  return { examined: ids.length, recomputed, failed, lastClockId: ids[ids.length - 1]!.id };
}

/** What a publication would do to the running clocks, counted before it is made (docs/calendars.md). */
export interface RecomputePreview {
  /** Running clocks the recomputation would look at (its progress total). */
  readonly candidates: number;
  /** Clocks whose due date, provisional mark or missing year would change (what the recomputation counts `changed`). */
  readonly moved: number;
  /** Of those, clocks waiting for a calendar that would get a due date. */
  readonly dueDateGiven: number;
  /** Candidates whose count would still reach an unpublished year. */
  readonly stillMissing: number;
}

/**
 * Counts, without writing or locking anything, what `recomputeClockBatch` would do for the publication `changed`
 * if `set` were the calendars after it: the same candidates and the same `planClock` comparison. A read-only
 * preview for the operator; clocks can still start or stop before the publication is made.
 */
export async function previewClockRecomputation(
  q: Queryable,
  set: CalendarSet,
  changed: CalendarChange,
): Promise<RecomputePreview> {
  const { where, params } = candidates(changed);
  const rows = (await q.query(
    `SELECT ${CLOCK_COLUMNS} FROM case_clocks WHERE ${where} ORDER BY id`,
    params,
  )) as ClockRow[];
  let moved = 0;
  let dueDateGiven = 0;
  let stillMissing = 0;
  for (const row of rows) {
    let plan;
    try {
      plan = planClock(clockFacts(row), set);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      stillMissing += 1;
      continue;
    }
    const from = row.due_at === null ? null : new Date(row.due_at);
    if (plan.calendarMissing !== null) stillMissing += 1;
    if (
      plan.dueAt?.getTime() === from?.getTime() &&
      plan.calendarMissing === row.calendar_missing &&
      plan.provisional === row.due_provisional
    ) {
      continue;
    }
    if (plan.calendarMissing !== null && plan.calendarMissing === row.calendar_missing) continue;
    moved += 1;
    if (from === null && plan.dueAt !== null) dueDateGiven += 1;
  }
  return { candidates: rows.length, moved, dueDateGiven, stillMissing };
}
