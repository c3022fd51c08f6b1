import { type INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import { DataSource } from 'typeorm';
import { endOfDayInShanghai, OFFICIAL_CALENDARS } from '../../../libs/domain/src/index.js';
import {
  type CalendarRecompute,
  calendarRecomputationsOfYear,
  calendarRecomputeJobId,
  OUTBOX_ROUTES,
  publishCalendarLayer,
  QUEUES,
  RECOMPUTE_BATCH_SIZE,
  transactionWithRetry,
  verifyChain,
} from '../../../libs/infra/src/index.js';
import { CalendarRecomputationRunner } from '../../../apps/worker/src/calendars/calendar-recomputation.js';
import { CalendarRecomputationResumer } from '../../../apps/worker/src/calendars/calendar-recomputation-resumer.js';
import { OutboxRelay } from '../../../apps/worker/src/outbox/outbox-relay.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenClocks } from './given-clocks.js';

/** Enough clocks for six batches. */
const CLOCKS = 6 * RECOMPUTE_BATCH_SIZE;
/** 10:00 on Mon 15 Sep 2025 in Urumqi: every clock starts then, 30 working days in Xinjiang (due Fri 31 Oct). */
const STARTED = new Date('2025-09-15T02:00:00Z');
const DUE = endOfDayInShanghai('2025-10-31').toISOString();
/** With a corrected rest day on Mon 20 Oct 2025, the 30th working day is Mon 3 Nov. */
const DUE_CORRECTED = endOfDayInShanghai('2025-11-03').toISOString();

describe('calendar recomputation: a worker job in batches, with progress, resumable, idempotent', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let dataSource: DataSource;
  let caseIds: string[];

  const xinjiang2025 = OFFICIAL_CALENDARS.find((c) => c.region === 'xinjiang' && c.year === 2025)!;
  const { year: _year, version: _version, provisional: _provisional, ...layer } = xinjiang2025;
  const publish = (holidays: { date: string; name: string }[]) =>
    transactionWithRetry(dataSource, (tx) =>
      publishCalendarLayer(
        tx,
        2025,
        { ...layer, holidays, provisional: false },
        { actor: 'staff:op', actorRole: 'operator', origin: 'operator' },
        env.clock.now(),
        'req-test',
      ),
    );
  const recomputedEvents = async () =>
    (
      await env.db.query<{ case_id: string; n: number; versions: number[] }>(
        `SELECT case_id, count(*)::int AS n, array_agg((payload->>'calendarVersion')::int ORDER BY seq) AS versions
         FROM case_events WHERE type = 'CLOCK_RECOMPUTED' GROUP BY case_id`,
      )
    ).rows;
  const dueDates = async () =>
    (
      await env.db.query<{ due_at: Date; generation: number; n: number }>(
        `SELECT due_at, generation, count(*)::int AS n FROM case_clocks GROUP BY due_at, generation`,
      )
    ).rows.map((r) => ({ dueAt: new Date(r.due_at).toISOString(), generation: r.generation, clocks: r.n }));
  const row = async (id: string) =>
    (await env.db.query(`SELECT * FROM calendar_recomputations WHERE id = $1`, [id])).rows[0];

  beforeAll(async () => {
    // Business time just after the clocks started, so none of their timers is due during the test.
    env = await createTestEnvironment('calendar recomputation', { CLOCK_START: '2025-09-16T10:00:00+08:00' });
    worker = await createWorker(env.config);
    // The test queues the job itself (by the relay's own route), so that it controls when the job runs.
    await worker.get(OutboxRelay).stopPolling();
    dataSource = worker.get(DataSource);

    const the = givenClocks(env.db, env.clock);
    const template = await the.caseAt();
    const clock = await the.clockOf(template, { clock: 'overall', amount: 30, startedAt: STARTED });
    await env.db.query(
      `WITH applicants AS (
         INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted)
         SELECT md5(gen_random_uuid()::text), 'x', 'x' FROM generate_series(1, $2)
         RETURNING id),
       copies AS (
         INSERT INTO cases (tracking_number, item_code, procedure_id, machine_id, machine_version, status, applicant_id,
                            department_code, accepting_division, approving_division, application_encrypted)
         SELECT 'MS-C-' || nextval('case_tracking_seq'), item_code, procedure_id, machine_id, machine_version, status,
                applicants.id, department_code, accepting_division, approving_division, application_encrypted
         FROM cases, applicants WHERE cases.id = $1
         RETURNING id)
       INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, region, started_at, due_at,
                                explanation, generation)
       SELECT copies.id, c.clock, c.kind, c.limit_amount, c.unit, c.source, c.region, c.started_at, c.due_at,
              c.explanation, c.generation
       FROM copies, case_clocks c WHERE c.id = $3`,
      [template, CLOCKS - 1, clock.id],
    );
    caseIds = (await env.db.query<{ id: string }>(`SELECT id FROM cases ORDER BY id`)).rows.map((r) => r.id);
    expect(await dueDates()).toEqual([{ dueAt: DUE, generation: 1, clocks: CLOCKS }]);
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await env?.teardown();
  });

  it('publishing queues one job; the worker moves every clock in batches and reports its progress', async () => {
    const { recomputation } = await publish([...xinjiang2025.holidays, { date: '2025-10-20', name: '测试更正休息日' }]);
    // Nothing moved inside the publication.
    expect(recomputation).toMatchObject({ state: 'queued', version: 2, total: null, done: 0 });
    expect(await dueDates()).toEqual([{ dueAt: DUE, generation: 1, clocks: CLOCKS }]);

    const [outbox] = (
      await env.db.query<{ payload: CalendarRecompute }>(`SELECT payload FROM outbox WHERE kind = 'calendar.recompute'`)
    ).rows;
    const route = OUTBOX_ROUTES['calendar.recompute']!;
    const opts = { connection: env.queueConnection, prefix: env.config.redis.queuePrefix };
    const queue = new Queue(route.queue, opts);
    const events = new QueueEvents(route.queue, opts);
    await events.waitUntilReady();
    const progress: { done: number; total: number; batches: number }[] = [];
    events.on('progress', ({ data }) => progress.push(data as (typeof progress)[number]));
    try {
      const job = await queue.add(route.jobName, outbox!.payload, { jobId: route.jobId(outbox!.payload, '1') });
      expect(job.id).toBe('calendar-recompute-xinjiang-2025-v2');
      // Publishing again (a second relay of the same row) adds nothing.
      await queue.add(route.jobName, outbox!.payload, { jobId: route.jobId(outbox!.payload, '1') });
      expect(await queue.getJobCountByTypes('waiting', 'active', 'completed')).toBe(1);

      expect(await job.waitUntilFinished(events, 120_000)).toMatchObject({
        outcome: 'done',
        recomputation: { state: 'done', total: CLOCKS, done: CLOCKS, changed: CLOCKS, failed: 0, batches: 6 },
      });
      expect(progress.map((p) => p.done)).toEqual([500, 1000, 1500, 2000, 2500, 3000]);
      expect(progress.every((p) => p.total === CLOCKS)).toBe(true);
      expect((await queue.getJob(job.id!))!.progress).toMatchObject({ done: CLOCKS, total: CLOCKS, batches: 6 });
    } finally {
      await events.close();
      await queue.close();
    }

    expect(await dueDates()).toEqual([{ dueAt: DUE_CORRECTED, generation: 2, clocks: CLOCKS }]);
    const recomputed = await recomputedEvents();
    expect(recomputed).toHaveLength(CLOCKS);
    expect(recomputed.every((r) => r.n === 1)).toBe(true);
    const { rows: changed } = await env.db.query(
      `SELECT count(*)::int AS n FROM outbox WHERE kind = 'clock.changed' AND payload->>'generation' = '2'`,
    );
    expect(changed[0].n).toBe(CLOCKS);
    for (const caseId of [caseIds[0]!, caseIds[CLOCKS - 1]!]) {
      const { rows } = await env.db.query(`SELECT * FROM case_events WHERE case_id = $1 ORDER BY seq`, [caseId]);
      expect(verifyChain(rows).ok).toBe(true);
    }
    expect(await row(recomputation.id)).toMatchObject({ state: 'done', done: CLOCKS, changed: CLOCKS, batches: 6 });
  }, 180_000);

  it('a second run of the same recomputation changes nothing', async () => {
    const runner = worker.get(CalendarRecomputationRunner);
    const [{ id }] = (await env.db.query(`SELECT id FROM calendar_recomputations WHERE version = 2`)).rows;
    expect(await runner.run(String(id))).toEqual({ outcome: 'skipped', reason: 'already-done', id: String(id) });

    // Even from the start again (its row reset as if it had never run), every clock is already counted in v2.
    await env.db.query(
      `UPDATE calendar_recomputations SET state = 'queued', done = 0, changed = 0, batches = 0, after_clock_id = NULL
       WHERE id = $1`,
      [id],
    );
    const again = await runner.run(String(id));
    expect(again).toMatchObject({ outcome: 'done', recomputation: { done: CLOCKS, changed: 0, batches: 6 } });
    expect(await dueDates()).toEqual([{ dueAt: DUE_CORRECTED, generation: 2, clocks: CLOCKS }]);
    expect((await recomputedEvents()).every((r) => r.n === 1)).toBe(true);
  }, 120_000);

  it('holds no case lock between batches, and a run killed after a batch resumes from its cursor', async () => {
    // The correction withdrawn: version 3 moves every clock back.
    const { recomputation } = await publish([...xinjiang2025.holidays]);
    const runner = worker.get(CalendarRecomputationRunner);
    const killed = new Error('worker killed');
    let batches = 0;
    await expect(
      runner.run(recomputation.id, async () => {
        batches += 1;
        // Between batches: every case, of the batch just done and of the ones to come, can be locked at once.
        const client = await env.db.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query(`SELECT id FROM cases ORDER BY id FOR UPDATE NOWAIT`);
          expect(rows).toHaveLength(caseIds.length);
          await client.query('ROLLBACK');
        } finally {
          client.release();
        }
        if (batches === 2) throw killed;
      }),
    ).rejects.toBe(killed);
    const interrupted = await row(recomputation.id);
    expect(interrupted).toMatchObject({ state: 'running', total: CLOCKS, done: 1000, changed: 1000, batches: 2 });
    expect(await dueDates()).toEqual(
      expect.arrayContaining([
        { dueAt: DUE, generation: 3, clocks: 1000 },
        { dueAt: DUE_CORRECTED, generation: 2, clocks: CLOCKS - 1000 },
      ]),
    );

    // Its job lost with the worker (and Redis): the resumer, which runs at worker start and after a Redis loss,
    // queues it again from PostgreSQL; the job starts after the last committed batch, so no clock moves twice.
    const opts = { connection: env.queueConnection, prefix: env.config.redis.queuePrefix };
    const queue = new Queue(QUEUES.calendarRecomputations, opts);
    const events = new QueueEvents(QUEUES.calendarRecomputations, opts);
    await events.waitUntilReady();
    let resumed: unknown;
    try {
      expect(await worker.get(CalendarRecomputationResumer).resume()).toBe(1);
      const job = (await queue.getJob(calendarRecomputeJobId(recomputation)))!;
      resumed = await job.waitUntilFinished(events, 60_000);
    } finally {
      await events.close();
      await queue.close();
    }
    expect(resumed).toMatchObject({
      outcome: 'done',
      recomputation: { state: 'done', total: CLOCKS, done: CLOCKS, changed: CLOCKS, batches: 6 },
    });
    expect(await dueDates()).toEqual([{ dueAt: DUE, generation: 3, clocks: CLOCKS }]);
    const recomputed = await recomputedEvents();
    expect(recomputed).toHaveLength(CLOCKS);
    expect(recomputed.every((r) => r.versions.join() === '2,3')).toBe(true);
  }, 120_000);

  it('lists the recomputations of the year for operators, newest first (GET /v1/calendar/{year}/recomputation)', async () => {
    expect(await calendarRecomputationsOfYear(dataSource, 2025)).toEqual([
      expect.objectContaining({ version: 3, state: 'done', total: CLOCKS, done: CLOCKS, changed: CLOCKS, batches: 6 }),
      expect.objectContaining({ version: 2, state: 'done', total: CLOCKS, done: CLOCKS, changed: 0, batches: 6 }),
    ]);
  });
});
