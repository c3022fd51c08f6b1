import type { PoolClient } from 'pg';
import type { TogetherResult } from './together-or-alone.js';

/** How `eachInSavepoint` opens its transaction and names its savepoints. */
export interface SavepointTransaction {
  /** The savepoint each item runs inside (one name: each item's releases the one before it). */
  readonly savepoint: string;
  /**
   * Locks taken first, in the round trip of BEGIN and one of their own (a timer batch's cases, in case id order).
   * Without them, BEGIN rides with the first item's opening.
   */
  readonly locks?: string;
}

/**
 * Applies `items` in one transaction on `client`, each inside its own SAVEPOINT, and one COMMIT (the worker's group
 * commits, docs/architecture.md "Engine group commit", "Due timers together"). An item whose `run` throws is rolled
 * back to its savepoint alone and answered `{ error }` (its caller runs it again alone); the others stay. Throws when
 * the transaction itself fails (the locks, a rollback to a savepoint, the COMMIT, the connection): then it is rolled
 * back and nothing of it was written.
 *
 * `run` sends `opening` (BEGIN for the first item unless `locks` began the transaction, else the previous item's
 * savepoint released; then this item's taken) first, in one round trip with its own first statement: opening an item
 * costs no round trip of its own. The savepoint is then there to roll back to, should that statement fail.
 */
export async function eachInSavepoint<T, R>(
  client: PoolClient,
  items: readonly T[],
  { savepoint, locks }: SavepointTransaction,
  run: (item: T, opening: string) => Promise<R>,
): Promise<TogetherResult<R>[]> {
  const results: TogetherResult<R>[] = [];
  try {
    if (locks !== undefined) await client.query(`BEGIN; ${locks}`);
    for (const [index, item] of items.entries()) {
      const before = index > 0 ? `RELEASE SAVEPOINT ${savepoint}; ` : locks === undefined ? 'BEGIN; ' : '';
      try {
        results.push({ outcome: await run(item, `${before}SAVEPOINT ${savepoint}; `) });
      } catch (error) {
        // Only this item is undone; the savepoint stays, released by the next item's opening or the COMMIT. Should
        // the rollback itself fail (the connection gone), the whole batch fails.
        await client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
        results.push({ error });
      }
    }
    await client.query('COMMIT');
    return results;
  } catch (error) {
    // A broken connection fails the ROLLBACK too: the pool drops that client; the batch's own error is reported.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
