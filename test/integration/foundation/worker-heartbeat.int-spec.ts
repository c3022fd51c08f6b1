import { type INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue, QueueEvents } from 'bullmq';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { assertRedisKeepsQueues, EvictingRedisError } from '../../../apps/worker/src/startup/redis-policy.check.js';
import { QUEUES } from '../../../libs/infra/src/index.js';
import { eventually } from '../../support/given.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { HeartbeatProcessor } from '../../../apps/worker/src/heartbeat/heartbeat.processor.js';
import { describeOnQueueBackend } from '../../support/queue-backend.js';
import { OwnRedisServer } from '../../support/redis-server.js';

describe('worker: heartbeat wiring, shutdown and Redis policy', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment('worker heartbeat', { HEARTBEAT_EVERY_MS: '200' });
  });
  afterAll(async () => env?.teardown());

  it('processes scheduled heartbeat jobs into the database', async () => {
    const events = new QueueEvents(QUEUES.heartbeat, {
      connection: env.queueConnection,
      prefix: env.config.redis.queuePrefix,
    });
    await events.waitUntilReady();
    const completed: string[] = [];
    const twoBeats = new Promise<void>((resolve) =>
      events.on('completed', ({ jobId }) => {
        completed.push(jobId);
        if (completed.length >= 2) resolve();
      }),
    );
    const worker = await createWorker(env.config);
    await twoBeats;
    const { rows } = await env.db.query('SELECT worker_id, beats, job_id FROM worker_heartbeats');
    expect(rows).toHaveLength(1);
    expect(rows[0].beats).toBeGreaterThanOrEqual(2);
    // The row names the beat that wrote it; its completion event may reach the listener a moment later (the
    // PostgreSQL backend delivers events by LISTEN/NOTIFY and polling).
    await eventually(async () => completed.includes(rows[0].job_id));

    const queue = worker.get<Queue>(getQueueToken(QUEUES.heartbeat));
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual(['heartbeat']);

    await worker.close();
    await events.close();
  });

  it('lets an active job finish before the worker closes', async () => {
    const worker: INestApplicationContext = await createWorker(env.configWith({ HEARTBEAT_EVERY_MS: '60000' }));
    const queue = new Queue(QUEUES.heartbeat, {
      connection: env.queueConnection,
      prefix: env.config.redis.queuePrefix,
    });
    // Hold the heartbeat row lock so the job stays active until we release it.
    const blocker = await env.db.connect();
    await blocker.query('BEGIN');
    await blocker.query(
      `INSERT INTO worker_heartbeats (worker_id, beat_at, beats, job_id) VALUES ('x', now(), 0, 'x')`,
    );
    await blocker.query('LOCK TABLE worker_heartbeats IN EXCLUSIVE MODE');
    await queue.add('beat', { requestedAt: new Date().toISOString() });
    // Whichever beat the worker takes first now waits on the lock (the heartbeat worker runs one job at a time).
    const [job] = await eventually(async () => {
      const active = await queue.getActive();
      return active.length > 0 && active;
    });
    const closing = worker.close();
    // Release the lock only once the BullMQ worker is closing, so the close must wait for the active job.
    const host = worker.get(HeartbeatProcessor);
    await eventually(async () => host.worker.closing !== null && host.worker.closing !== undefined);
    await blocker.query('ROLLBACK');
    blocker.release();
    await closing;
    expect(await queue.getJobState(job!.id!)).toBe('completed');
    await queue.close();
  });

  describeOnQueueBackend('redis', 'on an evicting Redis', () => {
    let redisServer: OwnRedisServer;

    beforeAll(async () => {
      redisServer = await OwnRedisServer.start(['--maxmemory-policy', 'allkeys-lru']);
    });
    afterAll(() => redisServer?.stop());

    it('refuses to start outside development', async () => {
      const config = env.configWith({ REDIS_URL: redisServer.url });
      await expect(createWorker(config)).rejects.toBeInstanceOf(EvictingRedisError);
    });

    it('only warns in development, and the worker then runs', async () => {
      const config = env.configWith({
        REDIS_URL: redisServer.url,
        NODE_ENV: 'development',
        LOG_LEVEL: 'silent',
      });
      expect(await assertRedisKeepsQueues(config)).toBe('warned');
      expect(await assertRedisKeepsQueues(env.config)).toBe('keeps-queues');
      const { rows: before } = await env.db.query(
        `SELECT coalesce(max(beats), 0)::int AS beats FROM worker_heartbeats`,
      );
      const worker = await createWorker(config);
      try {
        // It beats on the evicting Redis: the heartbeat job scheduler runs its jobs into the database.
        await eventually(async () => {
          const { rows } = await env.db.query(`SELECT coalesce(sum(beats), 0)::int AS beats FROM worker_heartbeats`);
          return rows[0].beats > before[0].beats;
        });
      } finally {
        await worker.close();
      }
    });
  });

  // The counterpart of the evicting Redis: queue rows in PostgreSQL are kept like any other table, so there is no
  // policy to check and the worker starts in every environment.
  describeOnQueueBackend('postgres', 'on the PostgreSQL queue backend', () => {
    it('has no eviction policy to refuse, and the worker then runs outside development', async () => {
      expect(env.config.env).toBe('test');
      expect(await assertRedisKeepsQueues(env.config)).toBe('queues-on-postgres');
      const { rows: before } = await env.db.query(
        `SELECT coalesce(max(beats), 0)::int AS beats FROM worker_heartbeats`,
      );
      const worker = await createWorker(env.config);
      try {
        await eventually(async () => {
          const { rows } = await env.db.query(`SELECT coalesce(sum(beats), 0)::int AS beats FROM worker_heartbeats`);
          return rows[0].beats > before[0].beats;
        });
      } finally {
        await worker.close();
      }
    });
  });
});
