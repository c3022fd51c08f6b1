import { type Queryable } from './queryable.js';

/**
 * THE lock order (docs/operations.md "Lock order"). A transaction that writes to a case locks, in this order:
 *
 *   1. the case row (`cases … FOR UPDATE`), several cases in ascending id order;
 *   2. then that case's task rows and clock rows.
 *
 * Never a task or a clock first and its case afterwards: the engine, the SLA timers, the calendar recomputation,
 * staff case commands and reviewer decisions all follow it, so two of them on the same case queue on the case row
 * instead of deadlocking (PostgreSQL would abort one with 40P01). A path that knows only a task id or a clock id
 * reads its case id without a lock first (it never changes), then locks the case, then the row it came for.
 *
 * This function is step 1: the case row, locked for this transaction; false when there is no such case.
 */
export async function lockCaseRow(q: Queryable, caseId: string): Promise<boolean> {
  const rows = (await q.query(`SELECT id FROM cases WHERE id = $1 FOR UPDATE`, [caseId])) as unknown[];
  return rows.length > 0;
}
