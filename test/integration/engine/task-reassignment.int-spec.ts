import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { eventually, given, TIANSHAN_DISTRICT } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, tianshanReviewers, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

// POST /v1/tasks/{id}/reassignment: a supervisor of the task's office hands a claimed task to another reviewer;
// everyone else gets a typed problem and nothing is written; a repeat records nothing twice.
describe('task reassignment by a supervisor', () => {
  let env: TestEnvironment;
  let gateway: NestFastifyApplication;
  let worker: INestApplicationContext;
  let base: string;
  let the: ReturnType<typeof given>;
  let reviewers: Awaited<ReturnType<typeof tianshanReviewers>>;
  let supervisor: StaffToken;
  let districtSupervisor: StaffToken;

  beforeAll(async () => {
    env = await createTestEnvironment('reassignment', { HEARTBEAT_EVERY_MS: '60000' });
    the = given(env.db, env.clock);
    worker = await createWorker(env.config);
    gateway = await createGateway(env.config);
    base = await listen(gateway);
    reviewers = await tianshanReviewers(env.env);
    supervisor = await staffToken(env.env, 'street-supervisor', { roles: ['reviewer', 'supervisor'] });
    districtSupervisor = await staffToken(env.env, 'district-supervisor', {
      level: 'district',
      divisions: [TIANSHAN_DISTRICT],
      roles: ['supervisor'],
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await worker?.close();
    await env?.teardown();
  });

  const call = (who: StaffToken, method: string, path: string, body?: unknown) =>
    getJson(`${base}${path}`, {
      method,
      headers: body === undefined ? who.headers : { ...who.headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const openTaskId = (caseId: string, step: string) =>
    eventually(async () => {
      const { rows } = await env.db.query(
        `SELECT id FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL`,
        [caseId, step],
      );
      return rows[0]?.id as string | undefined;
    });
  const written = async (caseId: string, taskId: string) => ({
    events: (
      await env.db.query(`SELECT actor, payload FROM case_events WHERE case_id = $1 AND type = 'TASK_REASSIGNED'`, [
        caseId,
      ])
    ).rows,
    audit: (
      await env.db.query(
        `SELECT actor, actor_role, details FROM audit_log WHERE action = 'task.reassign' AND target = $1`,
        [`task:${taskId}`],
      )
    ).rows,
    claimedBy: (await env.db.query(`SELECT claimed_by FROM tasks WHERE id = $1`, [taskId])).rows[0]?.claimed_by,
  });

  it('refuses an open task, a reviewer, another office and a malformed body, writing nothing', async () => {
    const { caseId } = await the.submittedCase();
    const taskId = await openTaskId(caseId, 'acceptance');
    const path = `/v1/tasks/${taskId}/reassignment`;
    const body = { to: 'street-c', reason: '原审核人外出入户' };

    const open = await call(supervisor, 'POST', path, body);
    expect([open.status, open.body.code]).toEqual([409, 'TASK.NOT_CLAIMED']);
    expect(open.headers.get('content-type')).toContain('application/problem+json');

    expect((await call(reviewers.streetA, 'POST', `/v1/tasks/${taskId}/claim`)).status).toBe(200);
    const reviewer = await call(reviewers.streetB, 'POST', path, body);
    expect([reviewer.status, reviewer.body.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    const elsewhere = await call(districtSupervisor, 'POST', path, body);
    expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'TASK.NOT_FOUND']);
    for (const [bad, field] of [
      [{ to: 'street c', reason: 'x' }, 'to'],
      [{ to: 'staff:street-c', reason: 'x' }, 'to'],
      [{ to: 'street-c' }, 'reason'],
      [{ to: 'street-c', reason: '   ' }, 'reason'],
    ] as const) {
      const answer = await call(supervisor, 'POST', path, bad);
      expect([answer.status, answer.body.errors?.[0]?.field]).toEqual([400, field]);
    }
    const extra = await call(supervisor, 'POST', path, { ...body, claimedAt: '2026-01-01' });
    expect(extra.status).toBe(400);
    expect(await written(caseId, taskId)).toEqual({ events: [], audit: [], claimedBy: 'staff:street-a' });
  });

  it('moves the claim, records it on the chain and in the audit log once, and the new claimant decides', async () => {
    const { caseId } = await the.submittedCase();
    const taskId = await openTaskId(caseId, 'acceptance');
    expect((await call(reviewers.streetA, 'POST', `/v1/tasks/${taskId}/claim`)).status).toBe(200);
    const body = { to: 'street-c', reason: '原审核人外出入户' };
    const path = `/v1/tasks/${taskId}/reassignment`;

    const first = await call(supervisor, 'POST', path, body);
    expect([first.status, first.body]).toEqual([
      200,
      { taskId, caseId, claimedBy: 'staff:street-c', previouslyClaimedBy: 'staff:street-a' },
    ]);
    // A retried request finds the task with its new claimant: the same answer, nothing recorded again.
    const again = await call(supervisor, 'POST', path, body);
    expect([again.status, again.body.claimedBy]).toEqual([200, 'staff:street-c']);
    const { events, audit, claimedBy } = await written(caseId, taskId);
    expect(claimedBy).toBe('staff:street-c');
    expect(events).toEqual([
      {
        actor: 'staff:street-supervisor',
        payload: expect.objectContaining({
          taskId,
          step: 'acceptance',
          from: 'staff:street-a',
          to: 'staff:street-c',
          // The reason is staff free text: kept in the case's encrypted notes, the event carries its reference.
          reason: expect.stringMatching(/^case-note:[0-9a-f-]{36}$/),
        }),
      },
    ]);
    expect(audit).toEqual([
      {
        actor: 'staff:street-supervisor',
        actor_role: 'supervisor',
        details: { caseId, from: 'staff:street-a', to: 'staff:street-c' },
      },
    ]);
    // Staff read the reason back; the inbox filters find the claimed task.
    const staffEvents = await call(supervisor, 'GET', `/v1/staff/cases/${caseId}/events`);
    const reassigned = staffEvents.body.items.find((e: { type: string }) => e.type === 'TASK_REASSIGNED');
    expect(reassigned.payload.reason).toBe('原审核人外出入户');
    const claimedInbox = await call(supervisor, 'GET', '/v1/tasks?claimed=true&kind=acceptance&limit=200');
    expect(claimedInbox.body.items.map((t: { id: string }) => t.id)).toContain(taskId);
    const openInbox = await call(supervisor, 'GET', '/v1/tasks?claimed=false&limit=200');
    expect(openInbox.body.items.map((t: { id: string }) => t.id)).not.toContain(taskId);

    // The former claimant no longer holds it; the new one decides it.
    const former = await call(reviewers.streetA, 'POST', `/v1/tasks/${taskId}/decision`, { outcome: 'approve' });
    expect([former.status, former.body.code]).toEqual([409, 'TASK.CLAIMED_BY_ANOTHER']);
    const decided = await call(reviewers.streetC, 'POST', `/v1/tasks/${taskId}/decision`, { outcome: 'approve' });
    expect(decided.status).toBe(202);
    // A decided (or deciding) task is not reassigned.
    const late = await call(supervisor, 'POST', path, { to: 'street-b', reason: 'x' });
    expect([late.status, late.body.code]).toEqual([
      409,
      expect.stringMatching(/^TASK\.(DECISION_PENDING|ALREADY_DECIDED)$/),
    ]);
  });
});
