import { randomBytes } from 'node:crypto';
import { type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type Clock } from '../../libs/domain/src/index.js';
import { type AppConfig, clockFor, loadConfig, redisOptions } from '../../libs/infra/src/index.js';
import { prepareDatabase } from '../../scripts/prepare-database.js';
import { assertTestDatabase, TEST_DATABASE_URL, TEST_REDIS_URL } from './test-database.js';

export interface TestEnvironment {
  readonly env: Record<string, string>;
  readonly config: AppConfig;
  /** The business clock of this file's apps (`createWorker(env.config)` and `createGateway(env.config)` share it). */
  readonly clock: Clock;
  /** A plain pg pool on this file's schema, for assertions on what was written. */
  readonly db: pg.Pool;
  readonly redis: Redis;
  /** BullMQ connection options for this file's Redis (use with `prefix: config.redis.queuePrefix`). */
  readonly queueConnection: ConnectionOptions;
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
 * One isolated environment per test file: its own PostgreSQL schema (migrated) and its own BullMQ prefix, so
 * files run in parallel against the same services without seeing each other.
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
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    GATEWAY_PORT: '0',
    CLOCK_START: TEST_CLOCK_START,
    ...overrides,
  };
  await prepareDatabase(env);
  const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 3, options: `-c search_path=${schema},public` });
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
  const config = loadConfig(env);
  return {
    env,
    config,
    clock: clockFor(config),
    db,
    redis,
    queueConnection: redisOptions(TEST_REDIS_URL, 'worker') as ConnectionOptions,
    configWith: (more) => loadConfig({ ...env, ...more }),
    async teardown() {
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.end();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    },
  };
}
