import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type ConnectionOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type Clock } from '../../libs/domain/src/index.js';
import {
  type AppConfig,
  clockFor,
  loadConfig,
  type QueueName,
  queueConnection,
  queueSchema,
  useQueueBackend,
} from '../../libs/infra/src/index.js';
import { prepareDatabase } from '../../scripts/prepare-database.js';
import { createSchemaFromScript } from './schema-script.js';
import { assertTestDatabase, TEST_DATABASE_URL, TEST_QUEUE_BACKEND, TEST_REDIS_URL } from './test-database.js';

export interface TestEnvironment {
  readonly env: Record<string, string>;
  readonly config: AppConfig;
  /** The business clock of this file's apps (`createWorker(env.config)` and `createGateway(env.config)` share it). */
  readonly clock: Clock;
  /** A plain pg pool on this file's schema, for assertions on what was written. */
  readonly db: pg.Pool;
  /** The queue backend this file runs on (`config.queueBackend`): Redis, or BullMQ's PostgreSQL backend. */
  readonly queueBackend: 'redis' | 'postgres';
  /**
   * A plain Redis client on this file's Redis, for tests about Redis itself (rate-limit counters, what Redis holds);
   * undefined on the PostgreSQL queue backend.
   */
  readonly redis: Redis | undefined;
  /** BullMQ connection options for this file's queues, on either backend (use with `prefix: config.redis.queuePrefix`). */
  readonly queueConnection: ConnectionOptions;
  /** A BullMQ queue of this file's prefix on its backend, closed at teardown. */
  queue(name: QueueName): Queue;
  /** Builds a config for this file's schema and queue prefix with some settings changed. */
  configWith(overrides: Record<string, string>): AppConfig;
  teardown(): Promise<void>;
}

/**
 * Where business time starts in every test file unless it says otherwise (a Monday, with the rest of the year's
 * calendar published), so no test depends on the date it runs on (docs/time.md).
 */
export const TEST_CLOCK_START = '2026-06-01T09:00:00+08:00';

/**
 * Makes this file's schema: in a Jest run, by replaying the statements the real migrations took once for the run
 * (test/support/schema-script.ts; global-setup.mjs records them and names the file in TEST_SCHEMA_SCRIPT), in one
 * round trip; outside one (a script run by hand), or for a file that points at another database, by migrating.
 */
async function prepareSchema(env: Record<string, string>): Promise<void> {
  const script = process.env['TEST_SCHEMA_SCRIPT'];
  const database = env['DATABASE_URL']!;
  if (script === undefined || database !== TEST_DATABASE_URL) return void (await prepareDatabase(env));
  await createSchemaFromScript(database, env['DATABASE_SCHEMA']!, await readFile(script, 'utf8'));
}

/**
 * One isolated environment per test file: its own PostgreSQL schema (migrated) and its own BullMQ prefix, so
 * files run in parallel against the same services without seeing each other. The queues run on the run's queue
 * backend (`TEST_QUEUE_BACKEND`): Redis, or BullMQ's PostgreSQL backend in the test database, where the prefix names
 * a schema of its own (`queueSchema`). An override of `REDIS_URL` puts one file on a Redis of its own.
 */
export async function createTestEnvironment(
  label: string,
  overrides: Record<string, string> = {},
): Promise<TestEnvironment> {
  assertTestDatabase(TEST_DATABASE_URL);
  const suffix = randomBytes(4).toString('hex');
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  const schema = `t_${slug}_${suffix}`;
  const prefix = `test-${slug}-${suffix}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: schema,
    DATABASE_POOL_SIZE: '5',
    ...(TEST_QUEUE_BACKEND === 'redis' ? { REDIS_URL: TEST_REDIS_URL } : {}),
    QUEUE_PREFIX: prefix,
    GATEWAY_PORT: '0',
    CLOCK_START: TEST_CLOCK_START,
    ...overrides,
  };
  await prepareSchema(env);
  const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3, options: `-c search_path=${schema},public` });
  const config = loadConfig(env);
  // BullMQ picks its backend process-wide: the queues this file builds itself and its apps' queues agree.
  useQueueBackend(config);
  const redis = config.redis.url === undefined ? undefined : new Redis(config.redis.url, { maxRetriesPerRequest: 3 });
  const connection = queueConnection(config, 'worker');
  const queues = new Map<QueueName, Queue>();
  return {
    env,
    config,
    clock: clockFor(config),
    db,
    queueBackend: config.queueBackend,
    redis,
    queueConnection: connection,
    queue(name) {
      let queue = queues.get(name);
      if (queue === undefined) {
        queue = new Queue(name, { connection, prefix: config.redis.queuePrefix });
        queues.set(name, queue);
      }
      return queue;
    },
    configWith: (more) => loadConfig({ ...env, ...more }),
    async teardown() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      const queuePrefix = config.redis.queuePrefix;
      if (config.queueBackend === 'postgres')
        await db.query(`DROP SCHEMA IF EXISTS "${queueSchema(queuePrefix)}" CASCADE`);
      await db.end();
      if (redis !== undefined) {
        const keys = await redis.keys(`${config.redis.queuePrefix}:*`);
        if (keys.length) await redis.del(...keys);
        await redis.quit();
      }
    },
  };
}
