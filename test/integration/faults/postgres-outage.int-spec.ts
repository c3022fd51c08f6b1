import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type Job, Queue } from 'bullmq';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { automaticRedrives } from '../../../apps/worker/src/metrics/worker-metrics.js';
import { REDRIVE_EVERY_MS } from '../../../apps/worker/src/redrive/failed-job-redriver.js';
import { ClockTimerScheduler } from '../../../apps/worker/src/clocks/clock-timer.scheduler.js';
import {
  type CaseCommand,
  commandJobId,
  DEFAULT_JOB_OPTIONS,
  QUEUES,
  timerJobId,
  writeOutbox,
} from '../../../libs/infra/src/index.js';
import { eventually } from '../../support/given.js';
import { describeOnQueueBackend } from '../../support/queue-backend.js';
import { postgresBehindProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenClocks } from '../clocks/given-clocks.js';

/** Attempts with BullMQ's exponential backoff run out within 1 + 2 + 4 + 8 s; the outage outlasts them. */
const ATTEMPTS_RUN_OUT_MS = 40_000;
/** The outage, then up to a few re-drive rounds: longer than an ordinary integration test. */
const OUTAGE_TEST_MS = 120_000;

/**
 * PostgreSQL away long enough for jobs to use up their attempts (docs/operations.md "PostgreSQL outage"): the
 * worker reaches PostgreSQL through a TCP proxy the test cuts. A public notice's due timer and a case command fail
 * for good during the outage; once the proxy is back the worker re-drives both by itself, each effect happens
 * once, and the re-drives are counted.
 */
describe('PostgreSQL outage: jobs that ran out of attempts are re-driven once it is back', () => {
  let env: TestEnvironment;
  let postgres: TcpProxy;
  let worker: INestApplicationContext;
  let commands: Queue;
  let timers: Queue;

  beforeAll(async () => {
    env = await createTestEnvironment('postgres outage', { HEARTBEAT_EVERY_MS: '60000' });
    const behindProxy = await postgresBehindProxy();
    postgres = behindProxy.proxy;
    worker = await createWorker(env.configWith({ DATABASE_URL: behindProxy.databaseUrl }));
    const opts = { connection: env.queueConnection, prefix: env.config.redis.queuePrefix };
    commands = new Queue(QUEUES.caseCommands, opts);
    timers = new Queue(QUEUES.clockTimers, opts);
  });
  afterAll(async () => {
    await worker?.close();
    await commands?.close();
    await timers?.close();
    await postgres?.stop();
    await env?.teardown();
  });

  /**
   * A public notice whose due timer is armed, and a command the relay sent just before the outage (outbox row
   * marked sent; the test queues its job).
   */
  async function aNoticeAndACommand() {
    const the = givenClocks(env.db, env.clock);
    const noticeCase = await the.caseAt();
    const notice = await the.clockOf(noticeCase, {
      clock: 'notice',
      kind: 'period',
      amount: 7,
      unit: 'calendar-days',
    });
    await worker.get(ClockTimerScheduler).armClock(noticeCase, 'notice');
    const noticeDue = (await timers.getJob(timerJobId(notice.id, 'due', notice.generation)))!;
    const redrivesBefore = await redriveCount();

    // A command the relay sent just before the outage (outbox row marked sent, its job queued).
    const commandCase = await the.caseAt();
    // Closed, so the engine answers the command with a refusal (COMMAND_REFUSED) before it needs the case's input.
    await env.db.query(`UPDATE cases SET status = 'withdrawn', closed_at = now() WHERE id = $1`, [commandCase]);
    const command: CaseCommand = {
      caseId: commandCase,
      commandId: randomUUID(),
      event: { type: 'STEP_STARTED', step: 'no-such-step', actor: 'test' },
      actor: 'test',
    };
    await writeOutbox(env.db, [{ kind: 'case.command', caseId: commandCase, payload: command }]);
    await env.db.query(`UPDATE outbox SET sent_at = now() WHERE case_id = $1`, [commandCase]);
    return { noticeCase, notice, noticeDue, command, redrivesBefore };
  }

  describeOnQueueBackend('redis', 'the queue store (Redis) up while PostgreSQL is away', () => {
    it(
      're-drives a failed notice timer and a failed command, and each acts once',
      async () => {
        const { noticeCase, notice, noticeDue, command, redrivesBefore } = await aNoticeAndACommand();
        await postgres.stop();
        await commands.add('apply', command, { ...DEFAULT_JOB_OPTIONS, jobId: commandJobId(command.commandId) });
        await noticeDue.promote();
        const failedForGood = async (job: Job | undefined) =>
          job !== undefined &&
          (await job.getState()) === 'failed' &&
          job.attemptsMade >= DEFAULT_JOB_OPTIONS.attempts &&
          job;
        await eventually(
          async () => failedForGood(await commands.getJob(commandJobId(command.commandId))),
          ATTEMPTS_RUN_OUT_MS,
        );
        await eventually(async () => failedForGood(await timers.getJob(noticeDue.id!)), ATTEMPTS_RUN_OUT_MS);

        await postgres.start();
        const reDriven = 3 * REDRIVE_EVERY_MS;
        await eventually(async () => {
          const { rows } = await env.db.query(`SELECT ended_at FROM case_clocks WHERE id = $1`, [notice.id]);
          return rows[0].ended_at !== null;
        }, reDriven);
        await eventually(async () => {
          const { rows } = await env.db.query(`SELECT 1 FROM case_events WHERE id = $1`, [command.commandId]);
          return rows.length === 1;
        }, reDriven);

        // Once each: one NOTICE_PERIOD_ENDED command for the machine, one event for the command (the engine refused
        // it: the case is closed, which does not concern this test).
        const { rows: ended } = await env.db.query(
          `SELECT 1 FROM outbox WHERE case_id = $1 AND payload -> 'event' ->> 'type' = 'NOTICE_PERIOD_ENDED'`,
          [noticeCase],
        );
        expect(ended).toHaveLength(1);
        const { rows: answered } = await env.db.query(`SELECT type FROM case_events WHERE id = $1`, [
          command.commandId,
        ]);
        expect(answered).toEqual([{ type: 'COMMAND_REFUSED' }]);
        const commandJob = (await commands.getJob(commandJobId(command.commandId)))!;
        expect(await commandJob.getState()).toBe('completed');
        expect(commandJob.data).toMatchObject({ redrives: 1 });
        expect((await timers.getJob(noticeDue.id!))!.data).toMatchObject({ redrives: 1 });
        expect(await redriveCount()).toEqual({
          'case-commands': redrivesBefore['case-commands'] + 1,
          'clock-timers': redrivesBefore['clock-timers'] + 1,
        });
      },
      OUTAGE_TEST_MS,
    );
  });

  // The counterpart on the PostgreSQL queue backend: the queues are in the database the worker reaches through the
  // same proxy, so while it is cut no job can be taken, none uses up its attempts and nothing needs re-driving;
  // once it is back the worker carries on by itself and each effect happens once.
  describeOnQueueBackend('postgres', 'the queue store in the same PostgreSQL', () => {
    it(
      'takes no job while PostgreSQL is away, then the notice ends and the command is answered, each once',
      async () => {
        const { noticeCase, notice, noticeDue, command, redrivesBefore } = await aNoticeAndACommand();
        await postgres.stop();
        await commands.add('apply', command, { ...DEFAULT_JOB_OPTIONS, jobId: commandJobId(command.commandId) });
        await noticeDue.promote();
        const commandJob = (await commands.getJob(commandJobId(command.commandId)))!;
        expect(await commandJob.getState()).toBe('waiting');

        await postgres.start();
        await eventually(async () => {
          const { rows } = await env.db.query(`SELECT ended_at FROM case_clocks WHERE id = $1`, [notice.id]);
          return rows[0].ended_at !== null;
        }, ATTEMPTS_RUN_OUT_MS);
        await eventually(async () => (await commandJob.getState()) === 'completed', ATTEMPTS_RUN_OUT_MS);
        const { rows: ended } = await env.db.query(
          `SELECT 1 FROM outbox WHERE case_id = $1 AND payload -> 'event' ->> 'type' = 'NOTICE_PERIOD_ENDED'`,
          [noticeCase],
        );
        expect(ended).toHaveLength(1);
        const { rows: answered } = await env.db.query(`SELECT type FROM case_events WHERE id = $1`, [
          command.commandId,
        ]);
        expect(answered).toEqual([{ type: 'COMMAND_REFUSED' }]);
        expect(await redriveCount()).toEqual(redrivesBefore);
      },
      OUTAGE_TEST_MS,
    );
  });
});

async function redriveCount(): Promise<Record<'case-commands' | 'clock-timers', number>> {
  const { values } = await automaticRedrives.get();
  const of = (queue: string) => values.find((v) => v.labels['queue'] === queue)?.value ?? 0;
  return { 'case-commands': of('case-commands'), 'clock-timers': of('clock-timers') };
}
