/** The database every integration and end-to-end test file uses; each file gets its own schema inside it. */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/minsheng_test';
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * The queue backend of this run (docs/development.md, "Tests without services"): `TEST_QUEUE_BACKEND`, which
 * test/support/global-setup.mjs sets when it is not given (Redis when one answers on 127.0.0.1:6379, else
 * PostgreSQL). Outside Jest's global setup (a script run by hand) it defaults to Redis.
 */
export const TEST_QUEUE_BACKEND: 'redis' | 'postgres' =
  process.env['TEST_QUEUE_BACKEND'] === 'postgres' ? 'postgres' : 'redis';

/** Tests drop and create schemas: refuse any database that is not obviously a test database. */
export function assertTestDatabase(url: string): void {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name.includes('test')) {
    throw new Error(`refusing to run tests against database "${name}": its name must contain "test"`);
  }
}
