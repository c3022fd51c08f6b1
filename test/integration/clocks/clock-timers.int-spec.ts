import { type INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { ClockTimerScheduler } from '../../../apps/worker/src/clocks/clock-timer.scheduler.js';
import { timerJobId, type TimerKind } from '../../../apps/worker/src/clocks/clock-timing.js';
import { ClockReconciler } from '../../../apps/worker/src/clocks/clock-reconciler.js';
import { stopClock } from '../../../apps/worker/src/engine/clock-intents.js';
import { OutboxRelay } from '../../../apps/worker/src/outbox/outbox-relay.js';
import { QUEUES, type StoredEventRow, verifyChain, writeOutbox } from '../../../libs/infra/src/index.js';
import { eventually } from '../../support/given.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { DISTRICT, givenClocks } from './given-clocks.js';
import { finishedJob } from '../../support/finished-job.js';

/**
 * The SLA timers with BullMQ delays collapsed: each test arms real delayed jobs (days away), then promotes the one
 * it wants to fire, so days of a statutory limit run in milliseconds.
 */
describe('clock timers: reminder, breach, escalation, pause, generation, reconciler', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let queue: Queue;
  let the: ReturnType<typeof givenClocks>;

  beforeAll(async () => {
    env = await createTestEnvironment('clock timers', { HEARTBEAT_EVERY_MS: '60000' });
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

  const arm = (caseId: string, clock = 'review') => worker.get(ClockTimerScheduler).armClock(caseId, clock);

  /** Fires a delayed timer now and answers what the processor returned. */
  async function fire(clockId: string, kind: TimerKind, generation: number): Promise<unknown> {
    const job = await queue.getJob(timerJobId(clockId, kind, generation));
    if (!job) throw new Error(`no ${kind} timer for generation ${generation}`);
    expect(await job.getState()).toBe('delayed');
    await job.promote();
    return finishedJob(queue, job.id!, 10_000);
  }

  /** Delivers the same timer a second time under another job id (BullMQ's at-least-once delivery). */
  async function redeliver(clockId: string, kind: TimerKind, generation: number): Promise<unknown> {
    const job = await queue.add(kind, { clockId, generation }, { jobId: `again-${clockId}-${kind}-${Date.now()}` });
    return finishedJob(queue, job.id!, 10_000);
  }

  it('arms reminder, due and escalation timers days ahead, with the generation in the job id', async () => {
    const caseId = await the.caseAt();
    const clock = await the.clockOf(caseId, { amount: 10 });
    expect(await arm(caseId)).toEqual({ clockId: clock.id, armed: ['reminder', 'due', 'escalation'] });
    const due = await queue.getJob(timerJobId(clock.id, 'due', clock.generation));
    const row = await the.clockRow(clock.id);
    // The due timer fires at the end of the due day (Asia/Shanghai), the reminder two working days earlier; the
    // delay is counted from the business clock's now.
    expect(due!.data.at).toBe(new Date(row.due_at).toISOString());
    // (armed a moment before this reading of the clock)
    const delay = new Date(row.due_at).getTime() - env.clock.now().getTime();
    expect(due!.opts.delay!).toBeGreaterThanOrEqual(delay);
    expect(due!.opts.delay!).toBeLessThanOrEqual(delay + 5_000);
    expect(row.remind_at).not.toBeNull();
    expect(new Date(row.remind_at).getTime()).toBeLessThan(new Date(row.due_at).getTime() - 2 * 86_400_000);
    expect(timerJobId(clock.id, 'due', clock.generation)).not.toContain(':');
  });

  it('fires a reminder and a breach once each; the breach escalates one level up and tells the machine', async () => {
    const caseId = await the.caseAt();
    await the.taskOf(caseId, 'review', 'street');
    const clock = await the.clockOf(caseId, { amount: 10 });
    await arm(caseId);

    expect(await fire(clock.id, 'reminder', clock.generation)).toEqual({ outcome: 'done', action: 'reminded' });
    expect(await redeliver(clock.id, 'reminder', clock.generation)).toEqual({
      outcome: 'skipped',
      reason: 'already-fired',
    });
    expect((await the.clockRow(clock.id)).reminded_at).not.toBeNull();

    expect(await fire(clock.id, 'due', clock.generation)).toEqual({ outcome: 'done', action: 'breached' });
    expect(await redeliver(clock.id, 'due', clock.generation)).toEqual({ outcome: 'skipped', reason: 'already-fired' });

    // The engine may already have refused the CLOCK_BREACHED command (a given case has no machine snapshot).
    const timerEvents = (await the.eventTypes(caseId)).filter((type) => type !== 'COMMAND_REFUSED');
    expect(timerEvents).toEqual(['APPLICATION_SUBMITTED', 'SLA_REMINDER', 'SLA_BREACHED']);
    const { rows: tasks } = await env.db.query(
      `SELECT step, kind, level, division_code, department_code, priority FROM tasks WHERE case_id = $1 ORDER BY opened_at`,
      [caseId],
    );
    expect(tasks).toEqual([
      {
        step: 'review',
        kind: 'review',
        level: 'street',
        division_code: '650102002',
        department_code: 'civil-affairs',
        priority: 2,
      },
      {
        step: 'review-escalation',
        kind: 'escalation',
        level: 'district',
        division_code: DISTRICT,
        department_code: 'civil-affairs',
        priority: 2,
      },
    ]);
    const { rows: commands } = await env.db.query(
      `SELECT payload FROM outbox WHERE case_id = $1 AND kind = 'case.command'`,
      [caseId],
    );
    expect(commands.map((c) => c.payload.event)).toEqual([{ type: 'CLOCK_BREACHED', clock: 'review' }]);
    expect(commands[0].payload.actor).toBe('system:timer');

    // Arming again (the reconciler) schedules nothing that already fired.
    expect(await arm(caseId)).toEqual({ clockId: clock.id, armed: ['escalation'] });
    expect(await fire(clock.id, 'escalation', clock.generation)).toEqual({ outcome: 'done', action: 'escalated' });
    const { rows: second } = await env.db.query(
      `SELECT level, division_code FROM tasks WHERE case_id = $1 AND step = 'review-escalation-2'`,
      [caseId],
    );
    expect(second).toEqual([{ level: 'city', division_code: '650100' }]);
  });

  it('breaches once when the same due timer is delivered twice at the same moment, the chain intact', async () => {
    const caseId = await the.caseAt();
    await the.taskOf(caseId, 'review', 'street');
    const clock = await the.clockOf(caseId, { amount: 10 });
    await arm(caseId);

    // Both deliveries run concurrently (worker concurrency): the second waits on the case lock, then finds the mark.
    const outcomes = await Promise.all([
      fire(clock.id, 'due', clock.generation),
      redeliver(clock.id, 'due', clock.generation),
    ]);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        { outcome: 'done', action: 'breached' },
        { outcome: 'skipped', reason: 'already-fired' },
      ]),
    );
    const timerEvents = (await the.eventTypes(caseId)).filter((type) => type !== 'COMMAND_REFUSED');
    expect(timerEvents).toEqual(['APPLICATION_SUBMITTED', 'SLA_BREACHED']);
    const { rows: commands } = await env.db.query(
      `SELECT payload FROM outbox WHERE case_id = $1 AND kind = 'case.command'`,
      [caseId],
    );
    expect(commands.map((c) => c.payload.event)).toEqual([{ type: 'CLOCK_BREACHED', clock: 'review' }]);
    const { rows: tasks } = await env.db.query(
      `SELECT step, priority FROM tasks WHERE case_id = $1 ORDER BY opened_at`,
      [caseId],
    );
    expect(tasks).toEqual([
      { step: 'review', priority: 2 },
      { step: 'review-escalation', priority: 2 },
    ]);
    const { rows: stored } = await env.db.query<StoredEventRow>(
      `SELECT case_id, seq, id, type, actor, payload, occurred_at, prev_hash, hash FROM case_events
       WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    expect(verifyChain(stored)).toEqual({ ok: true, events: stored.length });
    const { rows: head } = await env.db.query(`SELECT last_event_seq FROM cases WHERE id = $1`, [caseId]);
    expect(head[0].last_event_seq).toBe(stored.length);
  });

  it('opens escalations its supervisor can acknowledge, and closes them when the step clock stops', async () => {
    const caseId = await the.caseAt();
    await the.taskOf(caseId, 'review', 'street');
    const clock = await the.clockOf(caseId, { amount: 10 });
    await arm(caseId);
    await fire(clock.id, 'due', clock.generation);
    const escalation = async () =>
      (
        await env.db.query(
          `SELECT outcomes, status, closed_at, details FROM tasks WHERE case_id = $1 AND kind = 'escalation'`,
          [caseId],
        )
      ).rows[0];
    expect(await escalation()).toMatchObject({ outcomes: ['acknowledge'], status: 'open', closed_at: null });

    // The late step is decided: the engine stops its clock, and the supervisor has nothing left to chase.
    const q = { query: async (sql: string, p?: unknown[]) => (await env.db.query(sql, p)).rows };
    const stopped = await stopClock(q, caseId, { clock: 'review' }, env.clock.now());
    expect(stopped).toMatchObject({ clock: 'review', escalationsClosed: 1 });
    expect(await escalation()).toMatchObject({
      status: 'closed',
      closed_at: expect.any(Date),
      details: { clock: 'review', closedBecause: 'step-clock-stopped' },
    });
    expect(await stopClock(q, caseId, { clock: 'review' }, env.clock.now())).toBeNull();
  });

  it('arms nothing for a clock waiting for an unpublished calendar, and its stale timers do nothing', async () => {
    const caseId = await the.caseAt();
    const clock = await the.clockOf(caseId, { amount: 10 });
    await arm(caseId);
    await env.db.query(
      `UPDATE case_clocks SET due_at = NULL, calendar_missing = 'national/2028', generation = generation + 1
       WHERE id = $1`,
      [clock.id],
    );
    expect(await arm(caseId)).toEqual({ clockId: clock.id, armed: [] });
    expect(await redeliver(clock.id, 'due', clock.generation + 1)).toEqual({
      outcome: 'skipped',
      reason: 'no-due-date',
    });
    expect((await the.clockRow(clock.id)).breached_at).toBeNull();
  });

  it('does not breach a paused clock', async () => {
    const caseId = await the.caseAt();
    const clock = await the.clockOf(caseId, { amount: 5 });
    await arm(caseId);
    await env.db.query(`UPDATE case_clocks SET paused_at = now() WHERE id = $1`, [clock.id]);
    expect(await fire(clock.id, 'due', clock.generation)).toEqual({ outcome: 'skipped', reason: 'paused' });
    expect((await the.clockRow(clock.id)).breached_at).toBeNull();
    expect(await the.eventTypes(caseId)).toEqual(['APPLICATION_SUBMITTED']);
    // A paused clock gets no new timers either.
    expect(await arm(caseId)).toEqual({ clockId: clock.id, armed: [] });
  });

  it('does nothing when the timer generation moved on', async () => {
    const caseId = await the.caseAt();
    const clock = await the.clockOf(caseId, { amount: 5 });
    await arm(caseId);
    await env.db.query(`UPDATE case_clocks SET generation = generation + 1 WHERE id = $1`, [clock.id]);
    expect(await fire(clock.id, 'due', clock.generation)).toEqual({ outcome: 'skipped', reason: 'generation-moved' });
    expect(await fire(clock.id, 'reminder', clock.generation)).toEqual({
      outcome: 'skipped',
      reason: 'generation-moved',
    });
    const row = await the.clockRow(clock.id);
    expect([row.breached_at, row.reminded_at]).toEqual([null, null]);
    expect(await the.eventTypes(caseId)).toEqual(['APPLICATION_SUBMITTED']);
    // The new generation gets its own timers.
    expect(await arm(caseId)).toEqual({ clockId: clock.id, armed: ['reminder', 'due', 'escalation'] });
    expect(await queue.getJob(timerJobId(clock.id, 'due', clock.generation + 1))).toBeDefined();
  });

  it('ends a waiting period with NOTICE_PERIOD_ENDED instead of a breach', async () => {
    const caseId = await the.caseAt();
    const clock = await the.clockOf(caseId, {
      clock: 'public-notice',
      kind: 'period',
      amount: 7,
      unit: 'calendar-days',
    });
    expect(await arm(caseId, 'public-notice')).toEqual({ clockId: clock.id, armed: ['due'] });
    expect(await fire(clock.id, 'due', clock.generation)).toEqual({ outcome: 'done', action: 'period-ended' });
    expect(await redeliver(clock.id, 'due', clock.generation)).toEqual({ outcome: 'skipped', reason: 'already-fired' });
    const { rows } = await env.db.query(`SELECT payload FROM outbox WHERE case_id = $1 AND kind = 'case.command'`, [
      caseId,
    ]);
    expect(rows.map((r) => r.payload.event)).toEqual([{ type: 'NOTICE_PERIOD_ENDED', clock: 'public-notice' }]);
    expect((await the.clockRow(clock.id)).breached_at).toBeNull();
  });

  it('arms a clock from an arm job (operators and tools)', async () => {
    const caseId = await the.caseAt();
    const clock = await the.clockOf(caseId, { amount: 20 });
    const job = await queue.add('arm', { caseId, clock: 'review', generation: clock.generation });
    expect(await finishedJob(queue, job.id!, 10_000)).toEqual({
      clockId: clock.id,
      armed: ['reminder', 'due', 'escalation'],
    });
  });

  it('arms the clocks of clock.changed outbox rows in the relay, before the rows are marked sent', async () => {
    const running = [];
    for (let i = 0; i < 3; i++) {
      const caseId = await the.caseAt();
      running.push({ caseId, ...(await the.clockOf(caseId, { amount: 12 + i })) });
    }
    const stoppedCase = await the.caseAt();
    const stopped = await the.clockOf(stoppedCase, { amount: 12 });
    await env.db.query(`UPDATE case_clocks SET stopped_at = now() WHERE id = $1`, [stopped.id]);
    const changed = [...running, { caseId: stoppedCase, ...stopped }];
    await writeOutbox(
      env.db,
      changed.map((c) => ({
        kind: 'clock.changed' as const,
        caseId: c.caseId,
        payload: { caseId: c.caseId, clock: 'review', generation: c.generation },
      })),
    );

    // One round (besides the relay's own loop: whichever takes the rows arms them before it marks them sent).
    await worker.get(OutboxRelay).relayOnce();
    const sent = await eventually(async () => {
      const { rows } = await env.db.query<{ sent_at: Date | null; attempts: number }>(
        `SELECT sent_at, attempts FROM outbox WHERE kind = 'clock.changed' AND case_id = ANY($1)`,
        [changed.map((c) => c.caseId)],
      );
      return rows.length === changed.length && rows.every((r) => r.sent_at !== null) && rows;
    });
    expect(sent.every((r) => r.attempts === 1)).toBe(true);
    for (const clock of running) {
      for (const kind of ['reminder', 'due', 'escalation'] as const) {
        const job = await queue.getJob(timerJobId(clock.id, kind, clock.generation));
        expect(await job?.getState()).toBe('delayed');
      }
      expect((await the.clockRow(clock.id)).remind_at).not.toBeNull();
      // No arm job: the relay armed the clock itself.
      expect(await queue.getJob(`arm-${clock.caseId}-review-g${clock.generation}`)).toBeUndefined();
    }
    expect(await queue.getJob(timerJobId(stopped.id, 'due', stopped.generation))).toBeUndefined();
  });

  it('re-arms every running clock after the queue store lost its timers', async () => {
    const running = [];
    for (let i = 0; i < 3; i++) {
      const caseId = await the.caseAt();
      running.push(await the.clockOf(caseId, { amount: 15 + i }));
    }
    const pausedCase = await the.caseAt();
    const paused = await the.clockOf(pausedCase, { amount: 15, pausedAt: env.clock.now() });
    const stoppedCase = await the.caseAt();
    const stopped = await the.clockOf(stoppedCase, { amount: 15 });
    await env.db.query(`UPDATE case_clocks SET stopped_at = now() WHERE id = $1`, [stopped.id]);

    // Every job of the timer queue gone (Redis emptied, or the queue's rows gone), through the queue layer.
    await queue.obliterate({ force: true });
    await queue.resume();
    expect(await queue.getJob(timerJobId(running[0]!.id, 'due', running[0]!.generation))).toBeUndefined();

    await worker.get(ClockReconciler).reconcile();
    for (const clock of running) {
      for (const kind of ['reminder', 'due', 'escalation'] as const) {
        const job = await queue.getJob(timerJobId(clock.id, kind, clock.generation));
        expect(await job?.getState()).toBe('delayed');
      }
    }
    for (const clock of [paused, stopped]) {
      expect(await queue.getJob(timerJobId(clock.id, 'due', clock.generation))).toBeUndefined();
    }
    // Running it again adds nothing (job ids are deterministic).
    const before = await queue.getDelayedCount();
    await worker.get(ClockReconciler).reconcile();
    expect(await queue.getDelayedCount()).toBe(before);
  });
});
