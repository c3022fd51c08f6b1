import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { systemClock, writeOutbox } from '../../../libs/infra/src/index.js';
import { eventually, given } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { bearer, post, staffTokens } from './ops-fixtures.js';

/**
 * The operator API against a running worker. A command is made to fail for real: its case names a procedure no
 * machine implements, so the engine refuses it with a domain error (UnrecoverableError, one attempt). Repairing
 * the row and retrying through the API then lets the same job succeed.
 *
 * Gateway and worker run on the system clock here: the case trace orders the case's events with outbox rows and
 * BullMQ jobs, which are stamped with the real time, and in production business time is the real time. Nothing
 * here counts a deadline, so no assertion depends on the date.
 */
describe('operators: queues, failed jobs, retry, pause, stuck cases, trace, audit', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let gateway: NestFastifyApplication;
  let base: string;
  let tokens: { operator: string; reviewer: string };
  let the: ReturnType<typeof given>;

  beforeAll(async () => {
    env = await createTestEnvironment('ops queues', { HEARTBEAT_EVERY_MS: '60000', METRICS_CACHE_MS: '0' });
    the = given(env.db, systemClock);
    tokens = await staffTokens(env);
    worker = await createWorker(env.config, { clock: systemClock });
    gateway = await createGateway(env.config, { clock: systemClock });
    base = await listen(gateway);
  });
  afterAll(async () => {
    await gateway?.close();
    await worker?.close();
    await env?.teardown();
  });

  const api = (path: string, init: RequestInit = bearer(tokens.operator)) => getJson(`${base}${path}`, init);
  const audit = async (requestId: string) =>
    (
      await env.db.query(`SELECT actor, actor_role, action, target, details FROM audit_log WHERE request_id = $1`, [
        requestId,
      ])
    ).rows;
  const openTask = async (caseId: string, step: string) =>
    (await env.db.query(`SELECT id FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL`, [caseId, step]))
      .rows[0];
  const failedJobOf = async (caseId: string) =>
    eventually(async () => {
      const { body } = await api('/v1/ops/queues/case-commands/jobs?state=failed');
      return (body.items as { caseId: string; id: string }[]).find((job) => job.caseId === caseId);
    });

  /** A submitted case whose command cannot be processed until the row is repaired. */
  const brokenCase = async () => {
    const submitted = await the.submittedCase({ withoutCommand: true });
    await env.db.query(`UPDATE cases SET procedure_id = 'no-such-procedure' WHERE id = $1`, [submitted.caseId]);
    const commandId = await the.command(submitted.caseId, { type: 'SUBMITTED' }, 'portal:test');
    const repair = () =>
      env.db.query(`UPDATE cases SET procedure_id = 'minimum-living' WHERE id = $1`, [submitted.caseId]);
    return { caseId: submitted.caseId, commandId, repair };
  };

  it('refuses a caller without a token (401), a reviewer (403) and an unknown queue (404), as problem+json', async () => {
    const none = await api('/v1/ops/queues', {});
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    const reviewer = await api('/v1/ops/queues', bearer(tokens.reviewer));
    expect(reviewer.status).toBe(403);
    expect(reviewer.body.code).toBe('AUTH.FORBIDDEN');
    const reviewerPause = await api('/v1/ops/queues/case-commands/pause', post(tokens.reviewer));
    expect(reviewerPause.status).toBe(403);
    const unknown = await api('/v1/ops/queues/no-such-queue/jobs');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body.code).toBe('QUEUE.NOT_FOUND');
    expect((await api('/v1/ops/queues/no-such-queue/pause', post(tokens.operator))).status).toBe(404);
    const badState = await api('/v1/ops/queues/case-commands/jobs?state=exploded');
    expect(badState.status).toBe(400);
    expect(badState.body.errors[0].field).toBe('state');
  });

  it('lists every queue of the contract with its counts', async () => {
    const { status, body } = await api('/v1/ops/queues');
    expect(status).toBe(200);
    expect(body.backend).toBe(env.config.queueBackend);
    const names = (body.items as { name: string }[]).map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['heartbeat', 'case-commands']));
    for (const queue of body.items) {
      expect(queue).toEqual(
        expect.objectContaining({
          paused: false,
          waiting: expect.any(Number),
          active: expect.any(Number),
          delayed: expect.any(Number),
          failed: expect.any(Number),
          completedLastMinute: expect.any(Number),
          completedLastHour: expect.any(Number),
        }),
      );
    }
  });

  it('shows a failed job with its case, and a retry after the repair makes it succeed, audited', async () => {
    const broken = await brokenCase();
    const job = await failedJobOf(broken.caseId);
    expect(job).toMatchObject({
      id: `cmd-${broken.commandId}`,
      name: 'apply',
      state: 'failed',
      caseId: broken.caseId,
      commandId: broken.commandId,
      eventType: 'SUBMITTED',
      attemptsMade: 1,
    });
    expect(job).toHaveProperty('failedReason', expect.stringContaining('no-such-procedure'));
    // ids only: the job view carries no payload
    expect(Object.keys(job)).not.toContain('data');
    const before = await api('/v1/ops/queues');
    expect(before.body.items.find((q: { name: string }) => q.name === 'case-commands').failed).toBeGreaterThanOrEqual(
      1,
    );

    // An unknown job is a 404.
    const early = await api(`/v1/ops/queues/case-commands/jobs/cmd-${randomUUID()}/retry`, post(tokens.operator));
    expect(early.status).toBe(404);

    await broken.repair();
    const requestId = `ops-retry-${randomUUID()}`;
    const retried = await api(`/v1/ops/queues/case-commands/jobs/${job.id}/retry`, post(tokens.operator, requestId));
    expect(retried.status).toBe(200);
    expect(retried.headers.get('x-request-id')).toBe(requestId);
    expect(await eventually(() => openTask(broken.caseId, 'acceptance'))).toBeDefined();
    const completed = await api('/v1/ops/queues/case-commands/jobs?state=completed&limit=200');
    expect(completed.body.items.map((j: { id: string }) => j.id)).toContain(job.id);
    expect(await audit(requestId)).toEqual([
      {
        actor: 'staff:op-1',
        actor_role: 'operator',
        action: 'job.retry',
        target: `job:case-commands/${job.id}`,
        details: { caseId: broken.caseId },
      },
    ]);
    const again = await api(`/v1/ops/queues/case-commands/jobs/${job.id}/retry`, post(tokens.operator));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('JOB.NOT_FAILED');
  });

  it('retries every failed job of a queue at once, audited with the count', async () => {
    const first = await brokenCase();
    const second = await brokenCase();
    await failedJobOf(first.caseId);
    await failedJobOf(second.caseId);
    await first.repair();
    await second.repair();
    const requestId = `ops-retry-all-${randomUUID()}`;
    const { status, body } = await api('/v1/ops/queues/case-commands/retry-failed', post(tokens.operator, requestId));
    expect(status).toBe(200);
    expect(body.retried).toBeGreaterThanOrEqual(2);
    await eventually(() => openTask(first.caseId, 'acceptance'));
    await eventually(() => openTask(second.caseId, 'acceptance'));
    const [row] = await audit(requestId);
    expect(row).toMatchObject({ action: 'queue.retry-failed', target: 'queue:case-commands' });
    expect(row.details.retried).toBe(body.retried);
  });

  it('lists a case with a failed command as stuck, and re-drives it after the repair', async () => {
    const broken = await brokenCase();
    await failedJobOf(broken.caseId);
    const stuck = await api('/v1/ops/cases/stuck?olderThanSeconds=0');
    expect(stuck.status).toBe(200);
    const entry = stuck.body.items.find((s: { caseId: string }) => s.caseId === broken.caseId);
    expect(entry).toMatchObject({
      commandId: broken.commandId,
      jobId: `cmd-${broken.commandId}`,
      reason: 'failed',
      relayed: true,
      status: 'submitted',
      eventType: 'SUBMITTED',
    });

    const notStuck = await the.submittedCase();
    await eventually(() => openTask(notStuck.caseId, 'acceptance'));
    const refused = await api(`/v1/ops/cases/${notStuck.caseId}/redrive`, post(tokens.operator));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('CASE.NOT_STUCK');
    expect((await api(`/v1/ops/cases/${randomUUID()}/redrive`, post(tokens.operator))).status).toBe(404);

    await broken.repair();
    const requestId = `ops-redrive-${randomUUID()}`;
    const redriven = await api(`/v1/ops/cases/${broken.caseId}/redrive`, post(tokens.operator, requestId));
    expect(redriven.status).toBe(200);
    expect(redriven.body.jobId).toBe(`cmd-${broken.commandId}`);
    await eventually(() => openTask(broken.caseId, 'acceptance'));
    const after = await api('/v1/ops/cases/stuck?olderThanSeconds=0');
    expect(after.body.items.map((s: { caseId: string }) => s.caseId)).not.toContain(broken.caseId);
    expect(await audit(requestId)).toEqual([
      expect.objectContaining({
        action: 'case.redrive',
        target: `case:${broken.caseId}`,
        details: { commandId: broken.commandId, jobId: `cmd-${broken.commandId}`, reason: 'failed' },
      }),
    ]);
  });

  it('discards a failed job, audited', async () => {
    const broken = await brokenCase();
    const job = await failedJobOf(broken.caseId);
    const requestId = `ops-discard-${randomUUID()}`;
    const { status, body } = await api(
      `/v1/ops/queues/case-commands/jobs/${job.id}/discard`,
      post(tokens.operator, requestId),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ discarded: true, job: { id: job.id, state: 'failed', caseId: broken.caseId } });
    const failed = await api('/v1/ops/queues/case-commands/jobs?state=failed&limit=200');
    expect(failed.body.items.map((j: { id: string }) => j.id)).not.toContain(job.id);
    expect(await audit(requestId)).toEqual([
      expect.objectContaining({ action: 'job.discard', target: `job:case-commands/${job.id}` }),
    ]);
    expect((await api(`/v1/ops/queues/case-commands/jobs/${job.id}/discard`, post(tokens.operator))).status).toBe(404);
  });

  it('pause stops processing and resume restarts it, both audited', async () => {
    // Checked through the queue layer, so the same test runs on both queue backends (docs/operations.md "Queue
    // backends"): the job waits while the queue is paused and is taken only once it is resumed.
    const commands = env.queue('case-commands');
    const pauseId = `ops-pause-${randomUUID()}`;
    const paused = await api('/v1/ops/queues/case-commands/pause', post(tokens.operator, pauseId));
    expect(paused.status).toBe(200);
    const submitted = await the.submittedCase();
    // The relay still moves the command to the queue, where it waits.
    const waiting = await eventually(async () => {
      const { body } = await api('/v1/ops/queues');
      const queue = body.items.find((q: { name: string }) => q.name === 'case-commands');
      return queue.paused && queue.waiting >= 1 && queue;
    });
    expect(waiting.oldestWaitingSeconds).toEqual(expect.any(Number));
    const listed = await api('/v1/ops/queues/case-commands/jobs?state=waiting');
    const job = listed.body.items.find((j: { caseId: string }) => j.caseId === submitted.caseId);
    expect(job).toBeDefined();
    expect(await openTask(submitted.caseId, 'acceptance')).toBeUndefined();
    expect(await commands.isPaused()).toBe(true);
    expect(await (await commands.getJob(job.id))?.getState()).toBe('waiting');

    const resumeId = `ops-resume-${randomUUID()}`;
    const resumed = await api('/v1/ops/queues/case-commands/resume', post(tokens.operator, resumeId));
    expect(resumed.status).toBe(200);
    expect(await eventually(() => openTask(submitted.caseId, 'acceptance'))).toBeDefined();
    expect(await commands.isPaused()).toBe(false);
    expect(await eventually(async () => (await commands.getJob(job.id))?.finishedOn)).toEqual(expect.any(Number));
    const overview = await api('/v1/ops/queues');
    expect(overview.body.items.find((q: { name: string }) => q.name === 'case-commands').paused).toBe(false);
    expect((await audit(pauseId))[0]).toMatchObject({ action: 'queue.pause', target: 'queue:case-commands' });
    expect((await audit(resumeId))[0]).toMatchObject({ action: 'queue.resume', target: 'queue:case-commands' });
  });

  it('counts completed jobs of the last minute and hour', async () => {
    const { body } = await api('/v1/ops/queues');
    const commands = body.items.find((q: { name: string }) => q.name === 'case-commands');
    // Several commands completed above, all within the minute.
    expect(commands.completedLastMinute).toBeGreaterThanOrEqual(5);
    expect(commands.completedLastHour).toBeGreaterThanOrEqual(commands.completedLastMinute);
  });

  it('traces one case: its requests, command jobs, events and tasks in time order', async () => {
    const submitted = await the.submittedCase({ withoutCommand: true });
    const commandId = randomUUID();
    await writeOutbox(env.db, [
      {
        kind: 'case.command',
        caseId: submitted.caseId,
        payload: {
          caseId: submitted.caseId,
          commandId,
          event: { type: 'SUBMITTED' },
          actor: 'portal:test',
          requestId: 'req-trace-1',
        },
        requestId: 'req-trace-1',
      },
    ]);
    await eventually(() => openTask(submitted.caseId, 'acceptance'));
    const trace = await eventually(async () => {
      const { body } = await api(`/v1/ops/cases/${submitted.caseId}/trace`);
      return body.jobs?.[0]?.state === 'completed' && body;
    });
    expect(trace.case).toMatchObject({ id: submitted.caseId, status: 'in-review' });
    expect(trace.requests).toEqual([
      expect.objectContaining({ requestId: 'req-trace-1', events: expect.any(Number), commands: 1 }),
    ]);
    expect(trace.jobs).toEqual([
      expect.objectContaining({ id: `cmd-${commandId}`, state: 'completed', attemptsMade: 1 }),
    ]);
    const kinds = (trace.timeline as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'event',
        'outbox',
        'outbox.relayed',
        'job.queued',
        'job.started',
        'job.finished',
        'task.opened',
      ]),
    );
    const times = (trace.timeline as { at: string }[]).map((e) => e.at);
    expect([...times].sort()).toEqual(times);
    const applied = trace.timeline.find(
      (e: { kind: string; type?: string }) => e.kind === 'event' && e.type === 'SUBMITTED',
    );
    expect(applied).toMatchObject({ eventId: commandId, requestId: 'req-trace-1' });
    // The outbox row precedes the job, the job's queueing precedes the event it applied. (Not its start: the
    // trace shows the start of the job's last run, and a run whose lock lapsed on a starved machine is taken again
    // by the stalled-job check after its step was applied; that run finds the step applied and does nothing.)
    expect(kinds.indexOf('outbox')).toBeLessThan(kinds.indexOf('job.queued'));
    expect(kinds.indexOf('job.queued')).toBeLessThan(trace.timeline.indexOf(applied));
    // ids and times only: no event payloads
    expect(JSON.stringify(trace)).not.toContain('placeholder');
    expect((await api(`/v1/ops/cases/${randomUUID()}/trace`)).status).toBe(404);
    expect((await api(`/v1/ops/cases/${submitted.caseId}/trace`, bearer(tokens.reviewer))).status).toBe(403);
  });
});
