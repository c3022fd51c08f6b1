import { type INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { DomainError } from '../../../libs/domain/src/index.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { Reconciler } from '../../../apps/worker/src/engine/reconciler.js';
import { FailedJobRedriver } from '../../../apps/worker/src/redrive/failed-job-redriver.js';
import { failedPermanently, failingPermanentlyOnRefusal } from '../../../apps/worker/src/queues/permanent-failure.js';
import { QUEUES } from '../../../libs/infra/src/index.js';
import { eventually, given } from '../../support/given.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

/**
 * Permanent and retryable failures are told apart by the error catalogue (docs/errors.md), not by parsing text: a
 * retryable code is retried with backoff; any other domain error fails the job at once with BullMQ's
 * UnrecoverableError and a typed mark on the job, and the reconciler and the automatic re-drive leave a marked job
 * alone, while they still retry a failed job with attempts left that carries no mark (one that stalled too often).
 */
describe('permanent and retryable job failures', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment('permanent failures', { HEARTBEAT_EVERY_MS: '60000' });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  describe('one job', () => {
    const name = 'failure-kinds';
    let queue: Queue;
    let events: QueueEvents;
    let worker: Worker;
    const plan = new Map<string, (job: Job) => Promise<string>>();

    beforeAll(async () => {
      const options = { connection: env.queueConnection, prefix: env.config.redis.queuePrefix };
      queue = new Queue(name, options);
      events = new QueueEvents(name, options);
      await events.waitUntilReady();
      worker = new Worker(name, (job) => failingPermanentlyOnRefusal(job, () => plan.get(job.name)!(job)), options);
    });
    afterAll(async () => {
      await worker?.close();
      await events?.close();
      await queue?.close();
    });

    const run = async (jobName: string, work: (job: Job) => Promise<string>) => {
      plan.set(jobName, work);
      const job = await queue.add(jobName, {}, { attempts: 3, backoff: { type: 'fixed', delay: 10 } });
      const outcome = await job.waitUntilFinished(events).then(
        (value: string) => ({ value }),
        (error: Error) => ({ error: error.message }),
      );
      return { outcome, job: (await queue.getJob(job.id!))! };
    };

    it('retries a retryable code (a stale write) and succeeds', async () => {
      const { outcome, job } = await run('stale-once', async (current) => {
        if (current.attemptsMade === 0) throw new DomainError('CASE.STALE_WRITE', 'moved on');
        return 'applied';
      });
      expect(outcome).toEqual({ value: 'applied' });
      expect(job.attemptsMade).toBe(2);
      expect(failedPermanently(job)).toBe(false);
    });

    it('fails a permanent code after one attempt, marked with its code', async () => {
      const { outcome, job } = await run('unknown-procedure', async () => {
        throw new DomainError('WORKFLOW.UNKNOWN_PROCEDURE', 'no machine for procedure nothing');
      });
      expect(outcome).toEqual({ error: 'WORKFLOW.UNKNOWN_PROCEDURE: no machine for procedure nothing' });
      expect(await job.getState()).toBe('failed');
      expect(job.attemptsMade).toBe(1);
      expect(job.progress).toEqual({ permanentFailure: { code: 'WORKFLOW.UNKNOWN_PROCEDURE' } });
      expect(failedPermanently(job)).toBe(true);
    });

    it('retries anything that is not a domain error, and marks nothing', async () => {
      const { outcome, job } = await run('database-away', async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      });
      expect(outcome).toEqual({ error: 'connect ECONNREFUSED 127.0.0.1:5432' });
      expect(job.attemptsMade).toBe(3);
      expect(failedPermanently(job)).toBe(false);
    });
  });

  describe('the reconciler and the automatic re-drive', () => {
    let worker: INestApplicationContext;
    let the: ReturnType<typeof given>;

    beforeAll(async () => {
      the = given(env.db, env.clock);
      worker = await createWorker(env.config);
    });
    afterAll(async () => {
      await worker?.close();
    });

    const openTask = async (caseId: string, step: string) =>
      (
        await env.db.query(`SELECT id FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL`, [
          caseId,
          step,
        ])
      ).rows[0];

    it('leave a permanently failed command alone, and retry it once it carries no mark', async () => {
      // A case whose procedure no machine implements: the engine refuses its command for good.
      const { caseId } = await the.submittedCase({ withoutCommand: true });
      await env.db.query(`UPDATE cases SET procedure_id = 'no-such-procedure' WHERE id = $1`, [caseId]);
      const commandId = await the.command(caseId, { type: 'SUBMITTED' }, 'portal:test');
      const commands = worker.get<Queue>(getQueueToken(QUEUES.caseCommands));
      // The state first, then the job: a job read before it failed would carry no failedReason yet.
      const job = await eventually(async () =>
        (await commands.getJobState(`cmd-${commandId}`)) === 'failed' ? commands.getJob(`cmd-${commandId}`) : undefined,
      );
      expect(job.attemptsMade).toBeLessThan(job.opts.attempts ?? 1);
      expect(job.failedReason).toMatch(/^WORKFLOW\.UNKNOWN_PROCEDURE: /);
      expect(failedPermanently(job)).toBe(true);

      // Repaired: a retry would now succeed, yet neither the reconciler nor the re-drive retries a marked job.
      await env.db.query(`UPDATE cases SET procedure_id = 'minimum-living' WHERE id = $1`, [caseId]);
      await worker.get(Reconciler).reconcileOnce();
      await worker.get(FailedJobRedriver).redriveOnce();
      expect(await commands.getJobState(`cmd-${commandId}`)).toBe('failed');
      expect(await openTask(caseId, 'acceptance')).toBeUndefined();

      // The same failed job without the mark is what a job that stalled too often looks like: it is retried.
      await job.updateProgress(0);
      await worker.get(Reconciler).reconcileOnce();
      expect(await eventually(() => openTask(caseId, 'acceptance'))).toBeDefined();
      // The task is committed inside the job; BullMQ records the job completed after the processor returns (on
      // the PostgreSQL queue backend a transaction of its own), so the state is waited for, not read at once.
      await eventually(async () => (await commands.getJobState(`cmd-${commandId}`)) === 'completed');
    });
  });
});
