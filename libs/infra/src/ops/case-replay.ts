import {
  compareWithStored,
  replayCase,
  type Divergence,
  type LoggedEvent,
  type StoredCaseState,
} from '@minsheng/workflows';
import { verifyChain, type Queryable, type StoredEventRow } from '../case-log/case-event-chain.js';
import { findingsNoteRefs, readCaseNotes, withNotedFindings } from '../case-notes/case-notes.js';
import { type PiiCipher } from '../pii/pii-cipher.js';
import { RETURNED_PAYMENT_TASK_KIND } from '../money/returned-payments.js';

/**
 * One case replayed from its event log (docs/operations.md "Replay"): the chain check says whether the log itself was
 * changed; the replay says whether the stored machine state still follows from it.
 */
export interface CaseReplayReport {
  readonly caseId: string;
  readonly trackingNumber: string;
  readonly status: string;
  readonly events: number;
  /** The event chain: `ok`, or the first seq where a stored event no longer matches its hash. */
  readonly chain: ReturnType<typeof verifyChain>;
  /** `consistent`, `diverged` (see `divergences`), `unreplayable` (see `problem`) or `not-started`. */
  readonly verdict: 'consistent' | 'diverged' | 'unreplayable' | 'not-started';
  readonly divergences: readonly Divergence[];
  readonly problem?: { readonly atSeq: number | null; readonly reason: string };
}

interface CaseRow {
  id: string;
  tracking_number: string;
  machine_id: string | null;
  machine_version: number | null;
  snapshot: unknown;
  status: string;
  current_steps: string[];
  closed: boolean;
  open_task_steps: string[];
}

/**
 * The stored side. Open tasks are those of the machine's steps: an escalation task is opened by a clock's timer when
 * a limit is passed (docs/operations.md "Replay"), and a returned payment's task by the bank's result file
 * (docs/money.md), not by the machine, so neither is part of what the log replays.
 */
const CASES = `
  SELECT c.id, c.tracking_number, c.machine_id, c.machine_version, c.snapshot, c.status, c.current_steps,
         c.closed_at IS NOT NULL AS closed,
         coalesce((SELECT array_agg(t.step ORDER BY t.step) FROM tasks t
                   WHERE t.case_id = c.id AND t.closed_at IS NULL AND t.kind NOT IN ('escalation', '${RETURNED_PAYMENT_TASK_KIND}')), '{}') AS open_task_steps
  FROM cases c`;

const EVENTS = `
  SELECT case_id, seq, id, type, actor, payload, occurred_at, prev_hash, hash
  FROM case_events WHERE case_id = ANY($1::uuid[]) ORDER BY case_id, seq`;

/** TypeORM answers rows; a pg client or pool answers a result holding them. */
async function select<T>(q: Queryable, sql: string, parameters: unknown[]): Promise<T[]> {
  const result = await q.query(sql, parameters);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Replays one case; undefined when there is no such case. */
export async function replayStoredCase(
  q: Queryable,
  cipher: PiiCipher,
  caseId: string,
): Promise<CaseReplayReport | undefined> {
  const rows = await select<CaseRow>(q, `${CASES} WHERE c.id = $1`, [caseId]);
  const [report] = await reportsFor(q, cipher, rows);
  return report;
}

/** One page of cases in id order, after `afterId`: the whole base is replayed page by page. */
export async function replayStoredCases(
  q: Queryable,
  cipher: PiiCipher,
  page: { readonly afterId?: string; readonly limit: number },
): Promise<CaseReplayReport[]> {
  const rows = await select<CaseRow>(q, `${CASES} WHERE c.id > $1::uuid ORDER BY c.id LIMIT $2`, [
    page.afterId ?? '00000000-0000-0000-0000-000000000000',
    page.limit,
  ]);
  return reportsFor(q, cipher, rows);
}

/**
 * The reports of these cases. A decision whose findings were kept as a case note (docs/api.md "The applicant's
 * view") is replayed with the findings read back, as the engine applied it.
 */
async function reportsFor(q: Queryable, cipher: PiiCipher, rows: readonly CaseRow[]): Promise<CaseReplayReport[]> {
  if (rows.length === 0) return [];
  const events = await select<StoredEventRow>(q, EVENTS, [rows.map((r) => r.id)]);
  const notes = await readCaseNotes(q, cipher, findingsNoteRefs(events.map((e) => e.payload['event'])));
  const byCase = new Map<string, StoredEventRow[]>();
  for (const event of events) byCase.set(event.case_id, [...(byCase.get(event.case_id) ?? []), event]);
  return rows.map((row) => report(row, byCase.get(row.id) ?? [], notes));
}

function report(
  row: CaseRow,
  events: readonly StoredEventRow[],
  notes: ReadonlyMap<string, unknown>,
): CaseReplayReport {
  const base = {
    caseId: row.id,
    trackingNumber: row.tracking_number,
    status: row.status,
    events: events.length,
    chain: verifyChain(events),
  };
  const logged: LoggedEvent[] = events.map((e) => {
    const inner = e.payload['event'];
    const payload =
      typeof inner === 'object' && inner !== null
        ? { ...e.payload, event: withNotedFindings(inner as { type: string }, notes) }
        : e.payload;
    return { seq: e.seq, type: e.type, payload };
  });
  const replay = replayCase(logged);
  if (!replay.ok) {
    // A case intake wrote and the engine has not started yet: no machine on either side.
    if (replay.atSeq === null && row.snapshot === null) return { ...base, verdict: 'not-started', divergences: [] };
    return {
      ...base,
      verdict: 'unreplayable',
      divergences: [],
      problem: { atSeq: replay.atSeq, reason: replay.reason },
    };
  }
  const stored: StoredCaseState = {
    machineId: row.machine_id,
    version: row.machine_version,
    snapshot: row.snapshot,
    status: row.status,
    closed: row.closed,
    currentSteps: row.current_steps,
    openTaskSteps: row.open_task_steps,
  };
  const divergences = compareWithStored(replay.replayed, stored);
  return { ...base, verdict: divergences.length === 0 ? 'consistent' : 'diverged', divergences };
}
