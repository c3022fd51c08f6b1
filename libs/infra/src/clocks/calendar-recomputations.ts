import { type Region } from '@minsheng/domain';
import { type Queryable } from '../case-log/case-event-chain.js';
import { writeOutbox } from '../case-log/outbox.js';
import { type CalendarChange, type RecomputeBatch } from './recompute-clocks.js';

/** A recomputation as operators see it (`GET /v1/calendar/{year}/recomputation`). */
export interface CalendarRecomputation {
  readonly id: string;
  readonly region: Region;
  readonly year: number;
  readonly version: number;
  readonly state: 'queued' | 'running' | 'done';
  /** Candidate clocks counted when the worker started; null while queued. */
  readonly total: number | null;
  readonly done: number;
  readonly changed: number;
  readonly failed: number;
  readonly batches: number;
  /** The keyset cursor: the batches after it are still to run. */
  readonly afterClockId: string | null;
  readonly requestedBy: string;
  readonly requestId: string | null;
  readonly requestedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

interface Row {
  id: string;
  region: Region;
  year: number;
  version: number;
  state: CalendarRecomputation['state'];
  total: number | null;
  done: number;
  changed: number;
  failed: number;
  batches: number;
  after_clock_id: string | null;
  requested_by: string;
  request_id: string | null;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** (An UPDATE's rows are read through a CTE: TypeORM answers a bare UPDATE … RETURNING as [rows, count].) */
const iso = (date: Date | null) => (date === null ? null : new Date(date).toISOString());

function toRecomputation(row: Row): CalendarRecomputation {
  return {
    id: String(row.id),
    region: row.region,
    year: row.year,
    version: row.version,
    state: row.state,
    total: row.total,
    done: row.done,
    changed: row.changed,
    failed: row.failed,
    batches: row.batches,
    afterClockId: row.after_clock_id,
    requestedBy: row.requested_by,
    requestId: row.request_id,
    requestedAt: iso(row.requested_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

/**
 * Records that the running clocks of a published calendar version are to be recomputed, and queues the worker's
 * job through the outbox, in the caller's transaction (the publication's): the job exists exactly when the
 * calendar does. One row per version, so a second request for the same version answers the first.
 */
export async function requestCalendarRecomputation(
  q: Queryable,
  change: CalendarChange,
  requestedBy: string,
  requestId: string | null,
  now: Date,
): Promise<CalendarRecomputation> {
  const inserted = (await q.query(
    `INSERT INTO calendar_recomputations (region, year, version, requested_by, request_id, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT ON CONSTRAINT "UQ_calendar_recomputations_version" DO NOTHING RETURNING *`,
    [change.region, change.year, change.version, requestedBy, requestId, now.toISOString()],
  )) as Row[];
  if (inserted[0] === undefined) {
    const [existing] = (await q.query(
      `SELECT * FROM calendar_recomputations WHERE region = $1 AND year = $2 AND version = $3`,
      [change.region, change.year, change.version],
    )) as Row[];
    return toRecomputation(existing!);
  }
  const recomputation = toRecomputation(inserted[0]);
  await writeOutbox(q, [
    {
      kind: 'calendar.recompute',
      caseId: null,
      payload: { recomputationId: recomputation.id, region: change.region, year: change.year, version: change.version },
      requestId,
    },
  ]);
  return recomputation;
}

export async function findCalendarRecomputation(q: Queryable, id: string): Promise<CalendarRecomputation | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [row] = (await q.query(`SELECT * FROM calendar_recomputations WHERE id = $1`, [id])) as Row[];
  return row === undefined ? null : toRecomputation(row);
}

/** The recomputations of one year's calendars, newest first. */
export async function calendarRecomputationsOfYear(q: Queryable, year: number): Promise<CalendarRecomputation[]> {
  const rows = (await q.query(
    `SELECT * FROM calendar_recomputations WHERE year = $1 ORDER BY requested_at DESC, id DESC`,
    [year],
  )) as Row[];
  return rows.map(toRecomputation);
}

/** Marks the recomputation running, counting its total on the first start (a resumed run keeps its total). */
export async function startCalendarRecomputation(
  q: Queryable,
  id: string,
  total: number,
  now: Date,
): Promise<CalendarRecomputation> {
  const [row] = (await q.query(
    `WITH started AS (
       UPDATE calendar_recomputations SET state = 'running', total = coalesce(total, $2),
         started_at = coalesce(started_at, $3)
       WHERE id = $1 RETURNING *)
     SELECT * FROM started`,
    [id, total, now.toISOString()],
  )) as Row[];
  return toRecomputation(row!);
}

/**
 * The recomputation row, locked until the caller's transaction ends: each batch takes it first, so two runs of one
 * recomputation (a stalled job taken again while the first still runs) take turns batch by batch, and each starts
 * from the cursor the other committed. Nothing else locks this row, so it adds no lock-order edge with cases.
 */
export async function lockCalendarRecomputation(q: Queryable, id: string): Promise<CalendarRecomputation | null> {
  const [row] = (await q.query(`SELECT * FROM calendar_recomputations WHERE id = $1 FOR UPDATE`, [id])) as Row[];
  return row === undefined ? null : toRecomputation(row);
}

/**
 * Records one batch in the batch's own transaction: progress and the cursor commit with the clocks, so a run
 * killed between batches resumes after the last batch it committed, never repeating or skipping one.
 */
export async function recordRecomputationBatch(q: Queryable, id: string, batch: RecomputeBatch): Promise<void> {
  await q.query(
    `UPDATE calendar_recomputations SET done = done + $2, changed = changed + $3, failed = failed + $4,
       batches = batches + 1, after_clock_id = $5
     WHERE id = $1`,
    [id, batch.examined, batch.recomputed.length, batch.failed.length, batch.lastClockId],
  );
}

export async function finishCalendarRecomputation(q: Queryable, id: string, now: Date): Promise<CalendarRecomputation> {
  const [row] = (await q.query(
    `WITH finished AS (
       UPDATE calendar_recomputations SET state = 'done', finished_at = coalesce(finished_at, $2) WHERE id = $1
       RETURNING *)
     SELECT * FROM finished`,
    [id, now.toISOString()],
  )) as Row[];
  return toRecomputation(row!);
}

/** Recomputations not finished (queued, or interrupted while running), oldest first. */
export async function unfinishedCalendarRecomputations(q: Queryable): Promise<CalendarRecomputation[]> {
  const rows = (await q.query(`SELECT * FROM calendar_recomputations WHERE state <> 'done' ORDER BY id`)) as Row[];
  return rows.map(toRecomputation);
}
