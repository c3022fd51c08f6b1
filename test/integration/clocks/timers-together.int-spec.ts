import { type INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { ClockTimerBatcher } from '../../../apps/worker/src/clocks/clock-timer-batcher.js';
import { ClockTimerScheduler } from '../../../apps/worker/src/clocks/clock-timer.scheduler.js';
import { timerJobId } from '../../../apps/worker/src/clocks/clock-timing.js';
import { QUEUES, type StoredEventRow, verifyChain } from '../../../libs/infra/src/index.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenClocks } from './given-clocks.js';
import { finishedJob } from '../../support/finished-job.js';

/**
 * Due timers together (docs/architecture.md "Due timers together"): due timers of different cases that arrive at
 * once fire in one transaction, each in its own savepoint; every clock is breached once, and one timer failing
 * among them fails alone.
 */
describe('clock timers: due timers together', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let queue: Queue;
  let the: ReturnType<typeof givenClocks>;

  beforeAll(async () => {
    env = await createTestEnvironment('timers together', { HEARTBEAT_EVERY_MS: '60000' });
    the = givenClocks(env.db, env.clock);
    worker = await createWorker(env.config);
    const opts = { connection: env.queueConnection, prefix: env.config.redis.queuePrefix };
    queue = new Queue(QUEUES.clockTimers, opts);
  });
  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    await env?.teardown();
  });

  /** Running review clocks of `n` cases, each with its step's open task, their timers armed days ahead. */
  async function armedClocks(n: number): Promise<{ caseId: string; id: string; generation: number }[]> {
    const clocks = [];
    for (let i = 0; i < n; i++) {
      const caseId = await the.caseAt();
      await the.taskOf(caseId, 'review', 'street');
      clocks.push({ caseId, ...(await the.clockOf(caseId, { amount: 10 + i })) });
      await worker.get(ClockTimerScheduler).armClock(caseId, 'review');
    }
    return clocks;
  }

  /** What a breach leaves on its case: the timer's events, the machine's commands, the chain's state. */
  async function breachTrail(caseId: string) {
    const timerEvents = (await the.eventTypes(caseId)).filter((type) => type !== 'COMMAND_REFUSED');
    const { rows: commands } = await env.db.query(
      `SELECT payload FROM outbox WHERE case_id = $1 AND kind = 'case.command'`,
      [caseId],
    );
    const { rows: stored } = await env.db.query<StoredEventRow>(
      `SELECT case_id, seq, id, type, actor, payload, occurred_at, prev_hash, hash FROM case_events
       WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    return {
      timerEvents,
      commands: commands.map((c) => c.payload.event),
      chain: verifyChain(stored).ok,
    };
  }

  const breachedOnce = {
    timerEvents: ['APPLICATION_SUBMITTED', 'SLA_BREACHED'],
    commands: [{ type: 'CLOCK_BREACHED', clock: 'review' }],
    chain: true,
  };

  it('breaches every clock of several due timers delivered at once, each once', async () => {
    const clocks = await armedClocks(6);
    const jobs = await Promise.all(
      clocks.map(async (clock) => (await queue.getJob(timerJobId(clock.id, 'due', clock.generation)))!),
    );
    await Promise.all(jobs.map((job) => job.promote()));
    const outcomes = await Promise.all(jobs.map((job) => finishedJob(queue, job.id!, 10_000)));
    expect(outcomes).toEqual(clocks.map(() => ({ outcome: 'done', action: 'breached' })));
    for (const { caseId } of clocks) expect(await breachTrail(caseId)).toEqual(breachedOnce);

    // The same timers again, all at once (BullMQ's at-least-once delivery): each finds its mark.
    const again = await Promise.all(
      clocks.map(async ({ id, generation }) => {
        const job = await queue.add('due', { clockId: id, generation }, { jobId: `again-${id}` });
        return finishedJob(queue, job.id!, 10_000);
      }),
    );
    expect(again).toEqual(clocks.map(() => ({ outcome: 'skipped', reason: 'already-fired' })));
    for (const { caseId } of clocks) expect(await breachTrail(caseId)).toEqual(breachedOnce);
  });

  it('fires timers held at once in one transaction; one failing among them fails alone', async () => {
    const clocks = await armedClocks(6);
    const failing = clocks[3]!;
    // The failing timer's write is refused by the database (as a broken row or a lost constraint would be).
    await env.db.query(`
      CREATE FUNCTION refuse_breach() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = '${failing.id}' AND NEW.breached_at IS NOT NULL THEN RAISE EXCEPTION 'refused by the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_breach BEFORE UPDATE ON case_clocks FOR EACH ROW EXECUTE FUNCTION refuse_breach();`);
    try {
      const timers = worker.get(ClockTimerBatcher);
      // Submitted in one tick: the first fires alone at once, the others gather behind it into one batch.
      const settled = await Promise.allSettled(
        clocks.map(({ id, generation }) => timers.fire('due', { clockId: id, generation })),
      );
      expect(settled).toEqual(
        clocks.map((clock) =>
          clock === failing
            ? { status: 'rejected', reason: expect.objectContaining({ message: 'refused by the test' }) }
            : { status: 'fulfilled', value: { outcome: 'done', action: 'breached' } },
        ),
      );
      for (const clock of clocks) {
        if (clock !== failing) expect(await breachTrail(clock.caseId)).toEqual(breachedOnce);
      }
      expect(await breachTrail(failing.caseId)).toEqual({
        timerEvents: ['APPLICATION_SUBMITTED'],
        commands: [],
        chain: true,
      });
      // Five breaches in two transactions, the first alone, the other four committed together: a breach stamps its
      // case with now(), its transaction's start (a savepoint's rows carry their own xmin, so xmin cannot tell).
      const { rows } = await env.db.query<{ at: string }>(
        `SELECT DISTINCT updated_at::text AS at FROM cases WHERE id = ANY($1::uuid[])`,
        [clocks.filter((c) => c !== failing).map((c) => c.caseId)],
      );
      expect(rows).toHaveLength(2);
    } finally {
      await env.db.query(`DROP TRIGGER refuse_breach ON case_clocks; DROP FUNCTION refuse_breach()`);
    }
    // Its retry, alone, breaches it once.
    const retried = await worker
      .get(ClockTimerBatcher)
      .fire('due', { clockId: failing.id, generation: failing.generation });
    expect(retried).toEqual({ outcome: 'done', action: 'breached' });
    expect(await breachTrail(failing.caseId)).toEqual(breachedOnce);
  });
});
