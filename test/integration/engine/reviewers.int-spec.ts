import { getQueueToken } from '@nestjs/bullmq';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Queue } from 'bullmq';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { CaseEngine } from '../../../apps/worker/src/engine/case-engine.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { parseCaseCommand, QUEUES } from '../../../libs/infra/src/index.js';
import { untilDecisionAnswered } from '../../support/decisions.js';
import { eventually, given, TIANSHAN_DISTRICT } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, tianshanReviewers, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { clockIdOf, promoteClockTimer } from '../../support/time-travel.js';

describe('reviewer API: inbox, decisions, separation of duties, authorization, races', () => {
  let env: TestEnvironment;
  let gateway: NestFastifyApplication;
  let worker: INestApplicationContext;
  let base: string;
  let the: ReturnType<typeof given>;
  let reviewers: Awaited<ReturnType<typeof tianshanReviewers>>;

  beforeAll(async () => {
    env = await createTestEnvironment('reviewers', { HEARTBEAT_EVERY_MS: '60000', WORKER_CONCURRENCY: '16' });
    the = given(env.db, env.clock);
    worker = await createWorker(env.config);
    gateway = await createGateway(env.config);
    base = await listen(gateway);
    reviewers = await tianshanReviewers(env.env);
  });
  afterAll(async () => {
    await gateway?.close();
    await worker?.close();
    await env?.teardown();
  });

  const openTaskId = (caseId: string, step: string) =>
    eventually(async () => {
      const { rows } = await env.db.query(
        `SELECT id FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL`,
        [caseId, step],
      );
      return rows[0]?.id as string | undefined;
    });
  const call = (who: StaffToken, method: string, path: string, body?: unknown) =>
    getJson(`${base}${path}`, {
      method,
      headers: body === undefined ? who.headers : { ...who.headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('lists the office’s tasks, shows one with the applicant’s data and audits the read', async () => {
    const { caseId, trackingNumber } = await the.submittedCase();
    const taskId = await openTaskId(caseId, 'acceptance');
    const inbox = await call(reviewers.streetA, 'GET', '/v1/tasks?itemCode=BPS-064&step=acceptance&limit=200');
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((t: { id: string }) => t.id)).toContain(taskId);
    const detail = await call(reviewers.streetA, 'GET', `/v1/tasks/${taskId}`);
    expect(detail.status).toBe(200);
    // The applicant's data in clear: no browser or proxy may keep a copy.
    expect(detail.headers.get('cache-control')).toBe('no-store');
    expect(detail.body.case).toMatchObject({ id: caseId, trackingNumber, status: 'in-review' });
    expect(detail.body.applicant).toEqual({ name: null, idNumber: null, application: null }); // seeded placeholders
    const audit = await env.db.query(`SELECT actor, action FROM audit_log WHERE target = $1`, [`case:${caseId}`]);
    expect(audit.rows).toEqual([{ actor: 'staff:street-a', action: 'case.personal-data.read' }]);
    // The district bureau has no street-level task in its inbox.
    const district = await call(reviewers.district, 'GET', '/v1/tasks?limit=200');
    expect(district.body.items.map((t: { id: string }) => t.id)).not.toContain(taskId);
  });

  it('paginates the inbox with a cursor, in due order, without repeats', async () => {
    const cases = await Promise.all([1, 2, 3, 4, 5].map(() => the.submittedCase({ itemCode: 'BPS-073' })));
    for (const c of cases) await openTaskId(c.caseId, 'acceptance');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call(
        reviewers.streetB,
        'GET',
        `/v1/tasks?itemCode=BPS-073&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((t: { id: string }) => t.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect((await call(reviewers.streetB, 'GET', '/v1/tasks?cursor=nonsense')).status).toBe(400);
    expect((await call(reviewers.streetB, 'GET', '/v1/tasks?unknown=1')).status).toBe(400);
  });

  it('walks a case to approval through decisions over HTTP, enforcing separation of duties', async () => {
    const { caseId } = await the.submittedCase({ facts: { householdSize: 2, relativeOfStaff: ['street-c-relative'] } });
    const acceptance = await openTaskId(caseId, 'acceptance');
    expect((await call(reviewers.streetA, 'POST', `/v1/tasks/${acceptance}/claim`)).status).toBe(200);
    expect(
      (await call(reviewers.streetB, 'POST', `/v1/tasks/${acceptance}/decision`, { outcome: 'approve' })).status,
    ).toBe(409); // claimed by A
    const wrong = await call(reviewers.streetA, 'POST', `/v1/tasks/${acceptance}/decision`, { outcome: 'reject' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('DECISION.INVALID');
    expect(
      (await call(reviewers.streetA, 'POST', `/v1/tasks/${acceptance}/decision`, { outcome: 'approve' })).status,
    ).toBe(202);

    const investigation = await openTaskId(caseId, 'investigation');
    const consecutive = await call(reviewers.streetA, 'POST', `/v1/tasks/${investigation}/decision`, {
      outcome: 'approve',
      findings: { homeVisitDate: '2026-11-20', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 30_000 },
    });
    expect(consecutive.status).toBe(403);
    expect(consecutive.body.code).toBe('TASK.SEPARATION_OF_DUTIES');
    expect(
      (
        await call(reviewers.streetB, 'POST', `/v1/tasks/${investigation}/decision`, {
          outcome: 'approve',
          findings: { homeVisitDate: '2026-11-20', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 30_000 },
        })
      ).status,
    ).toBe(202);

    const review = await openTaskId(caseId, 'street-review');
    expect((await call(reviewers.streetC, 'POST', `/v1/tasks/${review}/decision`, { outcome: 'approve' })).status).toBe(
      202,
    );
    await eventually(
      async () =>
        (await env.db.query(`SELECT status FROM cases WHERE id = $1`, [caseId])).rows[0].status === 'public-notice',
    );
    // An objection during the notice, decided not upheld by another street reviewer.
    const objection = await call(reviewers.streetA, 'POST', `/v1/staff/cases/${caseId}/objections`, {
      summary: 'a neighbour says the household owns a car',
    });
    expect(objection.status).toBe(202);
    const objectionTask = await openTaskId(caseId, 'objection-review');
    expect(
      (await call(reviewers.streetB, 'POST', `/v1/tasks/${objectionTask}/decision`, { outcome: 'not-upheld' })).status,
    ).toBe(202);
    await eventually(async () => {
      const { rows } = await env.db.query(`SELECT snapshot FROM cases WHERE id = $1`, [caseId]);
      return JSON.stringify(rows[0].snapshot.value).includes('running');
    });
    // The notice period ends by its own timer (promoted now), not by a command written here.
    await promoteClockTimer(env, await clockIdOf(env, caseId, 'public-notice'), 'due');
    const approval = await openTaskId(caseId, 'approval');

    // The street reviewer who gave the opinion is not even in the district's scope; a district reviewer who is
    // declared a relative cannot act.
    const relative = await staffToken(env.env, 'street-c-relative', {
      level: 'district',
      divisions: [TIANSHAN_DISTRICT],
    });
    expect((await call(relative, 'POST', `/v1/tasks/${approval}/claim`)).status).toBe(403);
    expect(
      (await call(reviewers.district, 'POST', `/v1/tasks/${approval}/decision`, { outcome: 'approve' })).status,
    ).toBe(202);
    const closed = await eventually(async () => {
      const { rows } = await env.db.query(`SELECT status, entitlement, closed_at FROM cases WHERE id = $1`, [caseId]);
      return rows[0].closed_at !== null && rows[0];
    });
    expect(closed.status).toBe('approved');
    // (380.00 − 300.00 ÷ 2) × 2 = 460.00 yuan a month, no member details so no top-up.
    expect(closed.entitlement).toMatchObject({ monthlyAmountFen: 46_000, eligible: true });

    const decided = await env.db.query(
      `SELECT step, decided_by, decision FROM tasks WHERE case_id = $1 AND decided_by IS NOT NULL ORDER BY closed_at`,
      [caseId],
    );
    expect(decided.rows.map((r) => [r.step, r.decided_by])).toEqual([
      ['acceptance', 'staff:street-a'],
      ['investigation', 'staff:street-b'],
      ['street-review', 'staff:street-c'],
      ['objection-review', 'staff:street-b'],
      ['approval', 'staff:district-d'],
    ]);
    expect(
      decided.rows.at(-1).decision.checks.map((c: { rule: string; passed: boolean }) => [c.rule, c.passed]),
    ).toEqual([
      ['review-opinion-not-approver', true],
      ['no-consecutive-steps', true],
      ['not-a-relative', true],
    ]);
    const verify = await call(reviewers.district, 'GET', `/v1/staff/cases/${caseId}/verify`);
    expect(verify.body).toMatchObject({ ok: true, headMatches: true });
    // Tamper with one stored event: verification names it.
    const events = await call(reviewers.streetA, 'GET', `/v1/staff/cases/${caseId}/events`);
    expect(events.status).toBe(200);
    await env.db.query(`UPDATE case_events SET payload = '{"forged":true}' WHERE case_id = $1 AND seq = 3`, [caseId]);
    const broken = await call(reviewers.streetA, 'GET', `/v1/staff/cases/${caseId}/verify`);
    expect(broken.body).toMatchObject({ ok: false, brokenAtSeq: 3, reason: 'content changed' });
  });

  it('lets the engine alone answer a decision: a refusal reopens the task with the procedure’s reason', async () => {
    const { caseId } = await the.submittedCase();
    const acceptance = await openTaskId(caseId, 'acceptance');
    expect(
      (await call(reviewers.streetA, 'POST', `/v1/tasks/${acceptance}/decision`, { outcome: 'approve' })).status,
    ).toBe(202);
    const investigation = await openTaskId(caseId, 'investigation');
    expect((await call(reviewers.streetB, 'POST', `/v1/tasks/${investigation}/claim`)).status).toBe(200);
    const readTask = async () => (await call(reviewers.streetB, 'GET', `/v1/tasks/${investigation}`)).body;

    // The engine is held back, so the request is seen waiting for it.
    const commands = worker.get<Queue>(getQueueToken(QUEUES.caseCommands));
    await commands.pause();
    let refusedId: string;
    try {
      // The task takes an approval, so the gateway records it; the investigation's guard (a home visit date and a
      // data check) is the procedure's, and only the engine applies it.
      const requested = await call(reviewers.streetB, 'POST', `/v1/tasks/${investigation}/decision`, {
        outcome: 'approve',
        findings: { homeVisitDate: 'last week', dataCheck: 'consistent' },
      });
      expect(requested.status).toBe(202);
      expect(requested.body).toMatchObject({ state: 'requested', links: { task: `/v1/tasks/${investigation}` } });
      refusedId = requested.body.commandId;
      const waiting = (await readTask()).task;
      expect([waiting.status, waiting.closedAt, waiting.decisionRequest.state]).toEqual([
        'deciding',
        null,
        'requested',
      ]);
      // One request at a time: a second decision, or a claim, waits for the engine's answer.
      const second = await call(reviewers.streetB, 'POST', `/v1/tasks/${investigation}/decision`, {
        outcome: 'approve',
      });
      expect([second.status, second.body.code]).toEqual([409, 'TASK.DECISION_PENDING']);
      expect((await call(reviewers.streetB, 'POST', `/v1/tasks/${investigation}/claim`)).body.code).toBe(
        'TASK.DECISION_PENDING',
      );
    } finally {
      await commands.resume();
    }

    const refused = await untilDecisionAnswered(readTask, refusedId);
    expect(refused).toMatchObject({ status: 'open', closedAt: null, claimedBy: 'staff:street-b' });
    expect(refused.decisionRequest).toMatchObject({
      state: 'refused',
      outcome: 'approve',
      requestedBy: 'staff:street-b',
      refusal: { code: 'DECISION.REFUSED', field: 'findings' },
    });
    expect(refused.decisionRequest.refusal!.reason).toContain('does not accept DECIDED for step investigation');
    const events = async () =>
      (await call(reviewers.streetB, 'GET', `/v1/staff/cases/${caseId}/events`)).body.items as {
        id: string;
        type: string;
        payload: Record<string, unknown>;
      }[];
    const afterRefusal = await events();
    expect(afterRefusal.find((e) => e.id === refusedId)?.type).toBe('COMMAND_REFUSED');
    expect(afterRefusal.find((e) => e.type === 'DECISION_REFUSED')?.payload).toMatchObject({
      taskId: investigation,
      commandId: refusedId,
      code: 'DECISION.REFUSED',
      field: 'findings',
      reason: refused.decisionRequest.refusal!.reason,
    });

    // The reviewer decides again with proper findings: accepted, the task decided by the engine.
    const again = await call(reviewers.streetB, 'POST', `/v1/tasks/${investigation}/decision`, {
      outcome: 'approve',
      findings: { homeVisitDate: '2026-11-20', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 30_000 },
    });
    expect(again.status).toBe(202);
    const accepted = await untilDecisionAnswered(readTask, again.body.commandId);
    expect(accepted).toMatchObject({ status: 'decided', decidedBy: 'staff:street-b' });
    expect(accepted.decisionRequest).toMatchObject({ state: 'accepted', refusal: null });
    expect(accepted.closedAt).not.toBeNull();
    expect((await events()).filter((e) => e.type === 'DECISION_ACCEPTED').map((e) => e.payload)).toEqual([
      expect.objectContaining({ taskId: acceptance }),
      expect.objectContaining({ taskId: investigation, commandId: again.body.commandId, outcome: 'approve' }),
    ]);

    // The same command applied again (a redelivery) changes nothing a second time.
    const { rows } = await env.db.query(
      `SELECT payload FROM outbox WHERE kind = 'case.command' AND payload ->> 'commandId' = $1`,
      [again.body.commandId],
    );
    const version = async () =>
      (await env.db.query(`SELECT version FROM tasks WHERE id = $1`, [investigation])).rows[0].version as number;
    const before = await version();
    await expect(worker.get(CaseEngine).apply(parseCaseCommand(rows[0].payload))).resolves.toEqual({
      outcome: 'skipped',
      reason: 'already-applied',
    });
    expect(await version()).toBe(before);
    expect((await events()).filter((e) => e.type === 'DECISION_ACCEPTED')).toHaveLength(2);
  });

  it('answers 404 to reviewers of another district or department on every task and case route', async () => {
    const { caseId } = await the.submittedCase();
    const taskId = await openTaskId(caseId, 'acceptance');
    const otherDistrict = await staffToken(env.env, 'other-district', {
      divisions: ['650103001'],
      roles: ['reviewer', 'supervisor'],
    });
    const otherDepartment = await staffToken(env.env, 'other-department', {
      department: 'human-resources-social-security',
      roles: ['reviewer', 'supervisor'],
    });
    const routes: [string, string, unknown?][] = [
      ['GET', `/v1/tasks/${taskId}`],
      ['POST', `/v1/tasks/${taskId}/claim`],
      ['POST', `/v1/tasks/${taskId}/release`],
      ['POST', `/v1/tasks/${taskId}/decision`, { outcome: 'approve' }],
      ['GET', `/v1/staff/cases/${caseId}`],
      ['GET', `/v1/staff/cases/${caseId}/events`],
      ['GET', `/v1/staff/cases/${caseId}/verify`],
      ['POST', `/v1/staff/cases/${caseId}/objections`, { summary: 'x' }],
      ['POST', `/v1/staff/cases/${caseId}/extension`, { reason: 'x' }],
    ];
    for (const outsider of [otherDistrict, otherDepartment]) {
      for (const [method, path, body] of routes) {
        const answer = await call(outsider, method, path, body);
        expect([outsider.subject, method, path, answer.status]).toEqual([outsider.subject, method, path, 404]);
      }
      const inbox = await call(outsider, 'GET', '/v1/tasks?limit=200');
      expect(inbox.body.items.map((t: { id: string }) => t.id)).not.toContain(taskId);
    }
    // The right office sees it, and the task is still open and unclaimed.
    expect((await call(reviewers.streetA, 'GET', `/v1/staff/cases/${caseId}`)).status).toBe(200);
    const { rows } = await env.db.query(`SELECT claimed_by, closed_at FROM tasks WHERE id = $1`, [taskId]);
    expect(rows[0]).toEqual({ claimed_by: null, closed_at: null });
  });

  // 200 races of real HTTP requests: seconds alone, but far more on a loaded 2-core CI machine.
  it('lets exactly one of two reviewers deciding the same task at the same instant win, 200 times', async () => {
    const cases = [];
    for (let i = 0; i < 200; i++) cases.push(await the.submittedCase({ itemCode: 'BPS-073', withoutCommand: false }));
    const tasks = await Promise.all(cases.map((c) => openTaskId(c.caseId, 'acceptance')));
    const outcomes: string[] = [];
    for (const taskId of tasks) {
      const [a, b] = await Promise.all([
        call(reviewers.streetA, 'POST', `/v1/tasks/${taskId}/decision`, { outcome: 'approve' }),
        call(reviewers.streetB, 'POST', `/v1/tasks/${taskId}/decision`, { outcome: 'approve' }),
      ]);
      outcomes.push([a.status, b.status].sort().join('+'));
      // The loser finds the winner's request waiting for the engine, or already answered by it.
      const loser = a.status === 409 ? a : b;
      expect(['TASK.DECISION_PENDING', 'TASK.ALREADY_DECIDED']).toContain(loser.body.code);
    }
    expect(outcomes.filter((o) => o === '202+409')).toHaveLength(200);
    const { rows } = await env.db.query(
      `SELECT count(*)::int AS n FROM case_events WHERE type = 'DECISION_SUBMITTED' AND case_id = ANY($1)`,
      [cases.map((c) => c.caseId)],
    );
    expect(rows[0].n).toBe(200);
  }, 120_000);
});
