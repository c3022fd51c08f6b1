import { MIGRATION_ADVISORY_LOCK_KEY, type PostgresPoolConfig, Queue } from 'bullmq';
import { type PoolClient } from 'pg';
import { observeQueueErrors, QUEUES, queueSchema, resilientPostgresBackend } from '../../../libs/infra/src/index.js';
import { eventually } from '../../support/given.js';
import { postgresBehindProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

/**
 * The queues on PostgreSQL (no REDIS_URL) through a database restart (docs/operations.md, "Faults and recovery"):
 * the database goes away while a queue is still starting up, with the client of its start-up migration checked out
 * of the pool. The process carries on, the queue refuses work while the database is away, and takes it once the
 * database is back, without a restart. This file builds its own PostgreSQL-backed queue, so it runs whichever queue
 * backend the rest of the suite uses.
 */
describe('queues on PostgreSQL: the database away during start-up', () => {
  let env: TestEnvironment;
  let postgres: TcpProxy;
  let databaseUrl: string;
  let queue: { close(): Promise<void> } | undefined;
  let lock: PoolClient | undefined;
  let schema: string;

  beforeAll(async () => {
    env = await createTestEnvironment('queue database outage');
    ({ proxy: postgres, databaseUrl } = await postgresBehindProxy());
    schema = queueSchema(`${env.config.redis.queuePrefix}-outage`);
  });
  afterAll(async () => {
    await lock?.query('ROLLBACK').catch(() => undefined);
    lock?.release();
    await queue?.close();
    await postgres?.stop();
    await env?.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await env?.teardown();
  });

  it('neither ends the process nor leaves the queue broken, and the queue works once the database is back', async () => {
    // Hold the migration lock so the queue's start-up waits on it with its pooled client checked out.
    lock = await env.db.connect();
    await lock.query('BEGIN');
    await lock.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_ADVISORY_LOCK_KEY, schema]);
    const holder = (await lock.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const connection: PostgresPoolConfig = { connectionString: databaseUrl, schema, migrate: true };
    const started = observeQueueErrors(new Queue(QUEUES.heartbeat, { connection }, resilientPostgresBackend));
    queue = started;
    await eventually(async () => {
      const { rows } = await env.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
        [holder],
      );
      return rows[0]!.n === 1;
    });

    await postgres.stop();
    await expect(started.add('beat', { requestedAt: '2026-01-05T02:00:00.000Z' })).rejects.toThrow();

    await lock.query('COMMIT');
    lock.release();
    lock = undefined;
    await postgres.start();
    const job = await started.add('beat', { requestedAt: '2026-01-05T02:00:00.000Z' }, { jobId: 'after-outage' });
    expect(job.id).toBe('after-outage');
    expect((await started.getJob('after-outage'))?.name).toBe('beat');
  });
});
