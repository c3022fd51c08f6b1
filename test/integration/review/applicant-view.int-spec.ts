import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { QUEUES } from '../../../libs/infra/src/index.js';
import { eventually, TIANSHAN_STREET } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, tianshanReviewers, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenPortal, minimumLivingApplication, nextIdNumber, post } from '../intake/intake-fixtures.js';

/** Marker strings in every piece of staff free text, searched for wherever a portal, the outbox or a job could see it. */
const MARKERS = {
  acceptanceComment: 'MARK-ACCEPTANCE-COMMENT',
  extensionReason: 'MARK-EXTENSION-REASON',
  findingsText: 'MARK-FINDINGS-TEXT',
  investigationComment: 'MARK-INVESTIGATION-COMMENT',
  reviewComment: 'MARK-REVIEW-COMMENT',
  objectionSummary: 'MARK-OBJECTION-SUMMARY',
  objectionComment: 'MARK-OBJECTION-COMMENT',
};
const STAFF_SUBJECTS = ['street-a', 'street-b', 'street-c', 'street-supervisor'];

/**
 * The applicant's view (docs/api.md "The applicant's view"): a case driven through every staff action that takes free
 * text; the portal's answers, the outbox and the queue jobs carry none of it and no staff id, while staff in scope
 * read it all, the engine still used the findings, and the case replays from its log.
 */
describe('the applicant’s view: staff as role and office, staff text only in the case’s encrypted notes', () => {
  let env: TestEnvironment;
  let gateway: NestFastifyApplication;
  let worker: INestApplicationContext;
  let base: string;
  let portal: { portalId: string; apiKey: string };
  let otherPortal: { portalId: string; apiKey: string };
  let reviewers: Awaited<ReturnType<typeof tianshanReviewers>>;
  let supervisor: StaffToken;
  let operator: StaffToken;

  beforeAll(async () => {
    env = await createTestEnvironment('applicant view', { HEARTBEAT_EVERY_MS: '60000' });
    worker = await createWorker(env.config);
    gateway = await createGateway(env.config);
    base = await listen(gateway);
    portal = await givenPortal(env);
    otherPortal = await givenPortal(env);
    reviewers = await tianshanReviewers(env.env);
    supervisor = await staffToken(env.env, 'street-supervisor', { roles: ['supervisor'] });
    operator = await staffToken(env.env, 'ops-1', { roles: ['operator'] });
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
  const staffCall = async (who: StaffToken, method: string, path: string, body?: unknown) =>
    getJson(`${base}${path}`, {
      method,
      headers: { ...who.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const decide = async (who: StaffToken, taskId: string, body: unknown) =>
    expect((await staffCall(who, 'POST', `/v1/tasks/${taskId}/decision`, body)).status).toBe(202);
  const portalGet = (path: string, apiKey = portal.apiKey) =>
    getJson(`${base}${path}`, { headers: { 'x-api-key': apiKey } });
  const statusOf = async (caseId: string) =>
    (await env.db.query(`SELECT status, snapshot FROM cases WHERE id = $1`, [caseId])).rows[0] as {
      status: string;
      snapshot: { value: unknown };
    };
  /** Every marker and staff id found in a text. */
  const leaks = (text: string) =>
    [...Object.values(MARKERS), ...STAFF_SUBJECTS.map((s) => `staff:${s}`)].filter((m) => text.includes(m));

  it('keeps every staff comment, finding, summary and reason out of portal answers, outbox rows and jobs', async () => {
    const application = minimumLivingApplication();
    const submitted = await post(base, '/v1/applications', portal.apiKey, application, randomUUID());
    expect(submitted.status).toBe(202);
    const caseId = submitted.body.caseId as string;

    const acceptance = await openTaskId(caseId, 'acceptance');
    await decide(reviewers.streetA, acceptance, { outcome: 'approve', comment: MARKERS.acceptanceComment });
    const investigation = await openTaskId(caseId, 'investigation');
    const extension = await staffCall(supervisor, 'POST', `/v1/staff/cases/${caseId}/extension`, {
      reason: MARKERS.extensionReason,
    });
    expect(extension.status).toBe(202);
    await eventually(async () => {
      const { rows } = await env.db.query(
        `SELECT 1 FROM case_events WHERE case_id = $1 AND type = 'EXTENSION_GRANTED'`,
        [caseId],
      );
      return rows.length === 1;
    });
    await decide(reviewers.streetB, investigation, {
      outcome: 'approve',
      comment: MARKERS.investigationComment,
      findings: {
        homeVisitDate: '2026-06-03',
        dataCheck: 'consistent',
        verifiedHouseholdIncomeFen: 25_000,
        homeVisitNotes: MARKERS.findingsText,
      },
    });
    await decide(reviewers.streetC, await openTaskId(caseId, 'street-review'), {
      outcome: 'approve',
      comment: MARKERS.reviewComment,
    });
    await eventually(async () => (await statusOf(caseId)).status === 'public-notice');
    const objection = await staffCall(reviewers.streetA, 'POST', `/v1/staff/cases/${caseId}/objections`, {
      summary: MARKERS.objectionSummary,
    });
    expect(objection.status).toBe(202);
    await decide(reviewers.streetB, await openTaskId(caseId, 'objection-review'), {
      outcome: 'not-upheld',
      comment: MARKERS.objectionComment,
    });
    await eventually(async () => JSON.stringify((await statusOf(caseId)).snapshot.value).includes('running'));

    // The engine read the findings back from the note: the verified income is on the case for the entitlement.
    const { rows: facts } = await env.db.query(`SELECT facts FROM cases WHERE id = $1`, [caseId]);
    expect(facts[0].facts.findings.investigation).toMatchObject({
      verifiedHouseholdIncomeFen: 25_000,
      homeVisitNotes: MARKERS.findingsText,
    });

    // Every portal answer about the case: the case, its timeline, the reference lookup.
    const byId = await portalGet(`/v1/cases/${caseId}`);
    const timeline = await portalGet(`/v1/cases/${caseId}/events`);
    const byReference = await portalGet(`/v1/cases?portalReference=${encodeURIComponent(application.portalReference)}`);
    for (const answer of [byId, timeline, byReference]) {
      expect(answer.status).toBe(200);
      expect(leaks(JSON.stringify(answer.body))).toEqual([]);
    }
    const items = timeline.body.items as { type: string; actor: string; by: Record<string, unknown> }[];
    // Staff are shown by role and office: the decisions were taken at the street office by reviewers, the
    // extension by its supervisor.
    const submittedDecisions = items.filter((e) => e.type === 'DECISION_SUBMITTED');
    expect(submittedDecisions.length).toBe(4);
    for (const event of submittedDecisions) {
      expect(event.by).toEqual({
        kind: 'staff',
        role: 'reviewer',
        office: { department: 'civil-affairs', level: 'street', divisionCode: TIANSHAN_STREET },
      });
    }
    expect(items.find((e) => e.type === 'EXTENSION_REQUESTED')?.by).toMatchObject({
      kind: 'staff',
      role: 'supervisor',
    });
    // The engine's own record of an applied staff command takes the role and office of its request.
    expect(items.find((e) => e.type === 'DECIDED')?.by).toMatchObject({ kind: 'staff', role: 'reviewer' });
    expect(items.find((e) => e.type === 'SUBMITTED')?.by).toEqual({ kind: 'portal' });

    // What travels: the case's outbox rows and its queue jobs hold references, never the text or the findings.
    const { rows: outbox } = await env.db.query(`SELECT payload FROM outbox WHERE case_id = $1`, [caseId]);
    expect(outbox.length).toBeGreaterThan(5);
    expect(Object.values(MARKERS).filter((m) => JSON.stringify(outbox).includes(m))).toEqual([]);
    const decided = outbox.filter(
      (row) => row.payload.event?.type === 'DECIDED' && row.payload.event.step === 'investigation',
    );
    expect(decided).toHaveLength(1);
    expect(decided[0].payload.event.findings).toBeUndefined();
    expect(decided[0].payload.event.findingsNote).toMatch(/^case-note:[0-9a-f-]{36}$/);
    const queue = new Queue(QUEUES.caseCommands, {
      connection: env.queueConnection,
      prefix: env.config.redis.queuePrefix,
    });
    try {
      const jobs = (await queue.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed'])).filter(
        (job) => (job.data as { caseId?: string }).caseId === caseId,
      );
      expect(jobs.length).toBeGreaterThan(5);
      expect(Object.values(MARKERS).filter((m) => JSON.stringify(jobs.map((j) => j.data)).includes(m))).toEqual([]);
    } finally {
      await queue.close();
    }
    // The log itself holds references only: the text lives in the case's notes, encrypted.
    const { rows: log } = await env.db.query(`SELECT payload FROM case_events WHERE case_id = $1`, [caseId]);
    expect(Object.values(MARKERS).filter((m) => JSON.stringify(log).includes(m))).toEqual([]);
    const { rows: notes } = await env.db.query(`SELECT kind, body_encrypted FROM case_notes WHERE case_id = $1`, [
      caseId,
    ]);
    expect(notes.map((n) => n.kind).sort()).toEqual(
      ['comment', 'comment', 'comment', 'comment', 'extension-reason', 'findings', 'objection-summary'].sort(),
    );
    expect(Object.values(MARKERS).filter((m) => JSON.stringify(notes).includes(m))).toEqual([]);

    // The tasks' decisions hold references too; the task's reviewers read the comment back.
    const { rows: decisions } = await env.db.query(`SELECT decision, details FROM tasks WHERE case_id = $1`, [caseId]);
    expect(Object.values(MARKERS).filter((m) => JSON.stringify(decisions).includes(m))).toEqual([]);
    const task = await staffCall(reviewers.streetA, 'GET', `/v1/tasks/${acceptance}`);
    expect(task.status).toBe(200);
    expect(task.body.task.decision.comment).toBe(MARKERS.acceptanceComment);

    // Staff in scope read every text in the case's events.
    const staffEvents = await staffCall(reviewers.streetA, 'GET', `/v1/staff/cases/${caseId}/events`);
    expect(staffEvents.status).toBe(200);
    const staffText = JSON.stringify(staffEvents.body);
    expect(Object.values(MARKERS).filter((m) => !staffText.includes(m))).toEqual([]);

    // The case replays from its log, the findings read back from their note.
    const replay = await staffCall(operator, 'GET', `/v1/ops/cases/${caseId}/replay`);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ verdict: 'consistent', chain: { ok: true } });
  });

  it('names an open case in CASE.ALREADY_OPEN only to the portal it belongs to', async () => {
    const idNumber = nextIdNumber();
    const first = await post(base, '/v1/applications', portal.apiKey, minimumLivingApplication(idNumber), randomUUID());
    expect(first.status).toBe(202);

    const own = await post(base, '/v1/applications', portal.apiKey, minimumLivingApplication(idNumber), randomUUID());
    expect(own.status).toBe(409);
    expect(own.body).toMatchObject({
      code: 'CASE.ALREADY_OPEN',
      openCase: { caseId: first.body.caseId, trackingNumber: first.body.trackingNumber },
    });

    const elsewhere = await post(
      base,
      '/v1/applications',
      otherPortal.apiKey,
      minimumLivingApplication(idNumber),
      randomUUID(),
    );
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body).toMatchObject({ code: 'CASE.ALREADY_OPEN', openElsewhere: true });
    expect(elsewhere.body.openCase).toBeUndefined();
    const text = JSON.stringify(elsewhere.body);
    expect(text).not.toContain(first.body.caseId);
    expect(text).not.toContain(first.body.trackingNumber);
  });
});
