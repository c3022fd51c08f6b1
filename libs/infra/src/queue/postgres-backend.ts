import { Logger } from '@nestjs/common';
import { type BackendFactory, createPostgresBackend, type PostgresConnectionOptions } from 'bullmq';

const logger = new Logger('PostgresQueueBackend');

type PostgresQueueBackend = ReturnType<typeof createPostgresBackend>;

/**
 * BullMQ's PostgreSQL backend, made to outlive a database outage as the Redis backend does (docs/operations.md,
 * "Faults and recovery"). Two gaps of the backend as shipped, each closed on the one backend it builds:
 *
 * - A client checked out of its pool has no `error` listener while it is out (node-postgres' pool listens only on
 *   idle clients), and the backend keeps one out for the whole of its start-up migration. A connection dropped then
 *   makes that client emit an unhandled `error`, which ends the process. Every client the pool opens gets a
 *   listener that logs; the query in flight still fails, and the pool replaces the client.
 * - Start-up is remembered, failure included: once the migration has failed, every later query of the queue
 *   rejects with that error until the process restarts. A failed start-up is forgotten, so the next query tries
 *   again once the database is back.
 */
export const resilientPostgresBackend: BackendFactory<PostgresQueueBackend, PostgresConnectionOptions> = (
  name,
  opts,
  options,
) => {
  const backend = createPostgresBackend(name, opts, options);
  const { connection } = backend;
  connection.pool.on('connect', (client) => {
    client.on('error', (error) => logger.warn({ queue: name, err: error }, 'queue database connection lost'));
  });
  retryStartUpAfterFailure(connection, name);
  retryStartUpAfterFailure(backend, name);
  return backend;
};

/**
 * `waitUntilReady` memoises its promise in the private `readyPromise` of the connection and of the backend; this
 * clears the memo when the start-up fails, so a later call starts again instead of returning the old rejection.
 */
function retryStartUpAfterFailure(target: { waitUntilReady(): Promise<void> }, queue: string): void {
  const memo = target as unknown as { readyPromise?: Promise<void> };
  const waitUntilReady = target.waitUntilReady.bind(target);
  target.waitUntilReady = () => {
    const ready = waitUntilReady();
    const attempt = memo.readyPromise;
    ready.catch((error: unknown) => {
      if (attempt === undefined || memo.readyPromise !== attempt) return;
      memo.readyPromise = undefined;
      logger.warn({ queue, err: error }, 'queue start-up failed; the next query tries again');
    });
    return ready;
  };
}
