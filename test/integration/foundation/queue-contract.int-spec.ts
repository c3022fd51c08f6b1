import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Queue, QueueEvents } from 'bullmq';
import { ContractWorkerHost } from '../../../apps/worker/src/queues/contract-worker-host.js';
import { jobHandlerProblems, workerHostsOf } from '../../../apps/worker/src/startup/job-handlers.check.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { JOB_NAMES, QUEUES, type QueueName } from '../../../libs/infra/src/index.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

describe('the queue contract, over the worker’s real processors', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    env = await createTestEnvironment('queue contract');
    worker = await createWorker(env.config);
  });
  afterAll(async () => {
    await worker?.close();
    await env?.teardown();
  });

  it('gives every job name of every queue exactly one handler', () => {
    const hosts = workerHostsOf(worker.get(DiscoveryService));
    expect(jobHandlerProblems(hosts)).toEqual([]);
    for (const queue of Object.keys(JOB_NAMES) as QueueName[]) {
      const handling = hosts.filter((host) => host.worker.name === queue) as ContractWorkerHost<QueueName>[];
      expect(handling).toHaveLength(1);
      expect([...handling[0]!.handledJobNames()].sort()).toEqual([...JOB_NAMES[queue]].sort());
    }
  });

  it('reports a job name with two handlers, and one with none', () => {
    const hosts = workerHostsOf(worker.get(DiscoveryService));
    const clockTimers = hosts.filter((host) => host.worker.name === QUEUES.clockTimers);
    expect(jobHandlerProblems([...hosts, ...clockTimers])).toContain(
      'job clock-timers/due has 2 handlers in this worker; expected exactly 1',
    );
    expect(jobHandlerProblems(hosts.filter((host) => host.worker.name !== QUEUES.heartbeat))).toContain(
      'job heartbeat/beat has 0 handlers in this worker; expected exactly 1',
    );
  });

  it('fails a job whose name is not in the contract at once, without retries', async () => {
    const opts = { connection: env.queueConnection, prefix: env.config.redis.queuePrefix };
    const queue = new Queue(QUEUES.heartbeat, opts);
    const events = new QueueEvents(QUEUES.heartbeat, opts);
    await events.waitUntilReady();
    try {
      const job = await queue.add('no-such-job', {}, { attempts: 5, backoff: { type: 'fixed', delay: 10 } });
      await expect(job.waitUntilFinished(events, 20_000)).rejects.toThrow("no handler for job 'no-such-job'");
      expect((await queue.getJob(job.id!))!.attemptsMade).toBe(1);
    } finally {
      await events.close();
      await queue.close();
    }
  });

  it('fails a command whose event breaks the contract at once, naming the field, and changes nothing', async () => {
    const opts = { connection: env.queueConnection, prefix: env.config.redis.queuePrefix };
    const queue = new Queue(QUEUES.caseCommands, opts);
    const events = new QueueEvents(QUEUES.caseCommands, opts);
    await events.waitUntilReady();
    try {
      const command = {
        caseId: randomUUID(),
        commandId: randomUUID(),
        event: { type: 'DECIDED', step: 'review', outcome: 'maybe', actor: 'staff:x' },
        actor: 'staff:x',
      };
      const job = await queue.add('apply', command, { attempts: 5, backoff: { type: 'fixed', delay: 10 } });
      await expect(job.waitUntilFinished(events, 20_000)).rejects.toThrow(/event\.outcome/);
      const failed = (await queue.getJob(job.id!))!;
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toMatch(/^COMMAND\.INVALID: invalid case command: event\.outcome/);
      const { rows } = await env.db.query('SELECT count(*)::int AS n FROM case_events');
      expect(rows[0].n).toBe(0);
    } finally {
      await events.close();
      await queue.close();
    }
  });
});
