import { TEST_QUEUE_BACKEND } from './test-database.js';

export type QueueBackend = 'redis' | 'postgres';

/**
 * A describe that runs only on one queue backend, for a test that is inherently about it (a Redis of the test's own
 * that it empties, stops or makes evicting). Every such describe has a counterpart for the other backend in the same
 * file that tests that backend's form of the same guarantee (docs/development.md, "Tests without services"); the
 * titles say which backend runs.
 */
export function describeOnQueueBackend(backend: QueueBackend, name: string, fn: () => void): void {
  if (TEST_QUEUE_BACKEND === backend)
    describe(`${name} (queues on ${backend === 'redis' ? 'Redis' : 'PostgreSQL'})`, fn);
}
