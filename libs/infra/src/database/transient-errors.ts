import { type DataSource, type EntityManager } from 'typeorm';

/**
 * Errors that say nothing about the request and everything about the moment (docs/operations.md "Transient
 * failures"):
 *
 * - `unavailable`: PostgreSQL or Redis cannot be reached or is going away (refused or dropped connection, pool
 *   wait timed out, administrator shutdown, too many connections). The same request will work once it is back.
 * - `contention`: PostgreSQL aborted the transaction to keep concurrent writers consistent (serialization failure
 *   40001, deadlock 40P01, lock not available 55P03). Running the transaction again normally succeeds.
 */
export type TransientKind = 'unavailable' | 'contention';

/** SQLSTATE codes of contention (PostgreSQL appendix A, class 40 and 55P03). */
const CONTENTION_STATES = new Set(['40001', '40P01', '55P03']);

/**
 * SQLSTATE classes and codes of an unreachable or departing server: class 08 (connection exception), 57P01–57P03
 * (admin shutdown, crash shutdown, cannot connect now), 53300 (too many connections).
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Node's socket error codes for a peer that is not there or went away. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * Messages without a code: node-postgres and its pool (pg/lib/client.js, pg-pool/index.js), ioredis with
 * `enableOfflineQueue: false` or a closed connection, and ioredis' MaxRetriesPerRequestError.
 */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error/,
  /Stream isn't writeable/,
  /^Connection is closed/,
  /max retries per request/i,
];

/** Which transient kind an error is, looking through TypeORM's `driverError` and `cause` chains; else undefined. */
export function transientKindOf(error: unknown, depth = 0): TransientKind | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const { code, message, driverError, cause, name } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    name?: unknown;
  };
  if (typeof code === 'string') {
    if (CONTENTION_STATES.has(code)) return 'contention';
    if (UNAVAILABLE_STATES.has(code) || code.startsWith('08') || SOCKET_CODES.has(code)) return 'unavailable';
  }
  if (name === 'MaxRetriesPerRequestError') return 'unavailable';
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) {
    return 'unavailable';
  }
  return transientKindOf(driverError, depth + 1) ?? transientKindOf(cause, depth + 1);
}

/**
 * How many times a request runs its transaction again after contention before it gives up and answers 409
 * (docs/operations.md "Transient failures"). Small: contention that outlasts three quick retries is a hot spot an
 * operator should see, not something to hide behind a long wait.
 */
export const CONTENTION_RETRIES = 3;

/**
 * `dataSource.transaction(work)`, run again from the start when PostgreSQL aborted it for contention (deadlock or
 * serialization failure), at most `CONTENTION_RETRIES` more times with a short jittered pause. `work` must do
 * nothing outside the transaction that a second run would repeat.
 */
export async function transactionWithRetry<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= CONTENTION_RETRIES || transientKindOf(error) !== 'contention') throw error;
      // Jitter so two transactions that deadlocked do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * (attempt + 1)));
    }
  }
}
