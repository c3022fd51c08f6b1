import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { ManualClock } from '../../../libs/domain/src/index.js';
import { givenPortal, legalAidApplication, minimumLivingApplication } from '../intake/intake-fixtures.js';
import { TIANSHAN_DISTRICT, TIANSHAN_STREET } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, tianshanReviewers, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';
import { TimeTravel } from '../../support/time-travel.js';

const DAY = 86_400_000;

/**
 * Lawful ends reached over HTTP only (docs/procedures.md): a portal key and staff tokens drive each case, the advancing
 * clock fires the timers through the real path, and nothing is written to the database by the test.
 */
describe('procedures: every lawful end through the API', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let gateway: NestFastifyApplication;
  let travel: TimeTravel;
  let base: string;
  let apiKey: string;
  let reviewers: Awaited<ReturnType<typeof tianshanReviewers>>;
  let justice: StaffToken;
  /** The justice bureau's reviewers: nobody decides two consecutive steps of a case. */
  let bureau: StaffToken[];

  beforeAll(async () => {
    env = await createTestEnvironment('procedures reachability', { HEARTBEAT_EVERY_MS: '60000' });
    const clock = new ManualClock(new Date(TEST_CLOCK_START));
    worker = await createWorker(env.config, { clock });
    gateway = await createGateway(env.config, { clock });
    base = await listen(gateway);
    travel = await TimeTravel.start(env, worker, clock);
    ({ apiKey } = await givenPortal(env, { items: ['BPS-064', 'BPS-071', 'BPS-060'] }));
    reviewers = await tianshanReviewers(env.env);
    justice = await staffToken(env.env, 'justice-j', {
      department: 'justice',
      level: 'district',
      divisions: [TIANSHAN_DISTRICT],
    });
    bureau = [];
    for (const subject of ['justice-k', 'justice-l']) {
      bureau.push(
        await staffToken(env.env, subject, {
          department: 'justice',
          level: 'district',
          divisions: [TIANSHAN_DISTRICT],
        }),
      );
    }
  });
  afterAll(async () => {
    await travel?.close();
    await gateway?.close();
    await worker?.close();
    await env?.teardown();
  });

  const api = (path: string, who: StaffToken, init: RequestInit = {}) =>
    getJson(`${base}${path}`, { ...init, headers: { ...who.headers, ...(init.headers ?? {}) } });
  const post = (path: string, who: StaffToken, body: unknown = {}) =>
    api(path, who, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const portalPost = (path: string, body: unknown) =>
    getJson(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });

  async function submit(application: unknown): Promise<string> {
    const answer = await portalPost('/v1/applications', application);
    expect(answer.status).toBe(202);
    await travel.settle();
    return answer.body.caseId as string;
  }

  async function taskOf(caseId: string, who: StaffToken, step: string): Promise<{ id: string; level: string }> {
    const inbox = await api(`/v1/tasks?step=${step}&limit=200`, who);
    const task = inbox.body.items.find((t: { caseId: string }) => t.caseId === caseId);
    expect([step, task === undefined]).toEqual([step, false]);
    return task;
  }

  async function decide(caseId: string, who: StaffToken, step: string, body: Record<string, unknown>) {
    const task = await taskOf(caseId, who, step);
    const answer = await post(`/v1/tasks/${task.id}/decision`, who, body);
    expect([step, answer.status]).toEqual([step, 202]);
    await travel.settle();
  }

  const caseView = async (caseId: string, who: StaffToken) => (await api(`/v1/staff/cases/${caseId}`, who)).body;
  const eventTypes = async (caseId: string, who: StaffToken) =>
    ((await api(`/v1/staff/cases/${caseId}/events`, who)).body.items as { type: string }[]).map((e) => e.type);

  describe('STEP_STARTED on claim', () => {
    it('stops the 低保 "start the investigation within 3 working days" clock when a reviewer claims the task', async () => {
      const caseId = await submit(minimumLivingApplication());
      await decide(caseId, reviewers.streetA, 'acceptance', { outcome: 'approve' });
      const clocks = async () =>
        (await api(`/v1/staff/cases/${caseId}/clocks`, reviewers.streetA)).body.clocks as {
          clock: string;
          state: string;
        }[];
      const startClock = async () => (await clocks()).find((c) => c.clock === 'investigation-start');
      expect((await startClock())?.state).toBe('on-time');

      const task = await taskOf(caseId, reviewers.streetB, 'investigation');
      expect((await post(`/v1/tasks/${task.id}/claim`, reviewers.streetB)).status).toBe(200);
      await travel.settle();
      // Claiming again (the same reviewer) starts nothing a second time.
      expect((await post(`/v1/tasks/${task.id}/claim`, reviewers.streetB)).status).toBe(200);
      await travel.settle();

      const types = await eventTypes(caseId, reviewers.streetA);
      expect(types.filter((t) => t === 'STEP_STARTED')).toHaveLength(1);
      expect(types.filter((t) => t === 'STEP_START_REQUESTED')).toHaveLength(1);
      expect(types).not.toContain('COMMAND_REFUSED');
      expect((await startClock())?.state).toBe('stopped');

      // Ten days on, the stopped clock neither breaches nor escalates; the investigation task is still open.
      await travel.advanceBy(10 * DAY);
      const later = await eventTypes(caseId, reviewers.streetA);
      const slaOfStart = (
        (await api(`/v1/staff/cases/${caseId}/events`, reviewers.streetA)).body.items as {
          type: string;
          payload: { clock?: string };
        }[]
      ).filter((e) => e.type.startsWith('SLA_') && e.payload.clock === 'investigation-start');
      expect(slaOfStart).toEqual([]);
      expect(later.filter((t) => t === 'STEP_STARTED')).toHaveLength(1);
      expect((await caseView(caseId, reviewers.streetA)).currentSteps).toEqual(['investigation']);
    });

    it('sends nothing when the claimed step does not start anything in the machine', async () => {
      const caseId = await submit(minimumLivingApplication());
      const task = await taskOf(caseId, reviewers.streetA, 'acceptance');
      expect((await post(`/v1/tasks/${task.id}/claim`, reviewers.streetA)).status).toBe(200);
      await travel.settle();
      const types = await eventTypes(caseId, reviewers.streetA);
      expect(types).not.toContain('STEP_START_REQUESTED');
      expect(types).not.toContain('COMMAND_REFUSED');
    });
  });

  describe('objections after a refusal (法律援助法 art. 49)', () => {
    async function refused(): Promise<string> {
      const caseId = await submit(legalAidApplication());
      await decide(caseId, justice, 'review', { outcome: 'reject', reasonCode: 'MATTER_NOT_COVERED' });
      expect((await caseView(caseId, justice)).status).toBe('rejected');
      return caseId;
    }

    it('refuses an objection while the case is in review, before any refusal (409)', async () => {
      const caseId = await submit(legalAidApplication());
      const answer = await portalPost(`/v1/cases/${caseId}/objections`, { reason: 'other' });
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('CASE.WRONG_STATUS');
      const staff = await post(`/v1/staff/cases/${caseId}/objections`, justice, { summary: 'letter of objection' });
      expect(staff.status).toBe(409);
    });

    it('takes the portal objection after a refusal; the justice bureau upholds it and a worker is assigned', async () => {
      const caseId = await refused();
      const answer = await portalPost(`/v1/cases/${caseId}/objections`, { reason: 'other' });
      expect(answer.status).toBe(202);
      await travel.settle();
      const review = await taskOf(caseId, justice, 'objection-review');
      expect(review.level).toBe('district');
      await decide(caseId, bureau[0]!, 'objection-review', { outcome: 'upheld' });
      await decide(caseId, bureau[1]!, 'assignment', { outcome: 'approve' });
      const closed = await caseView(caseId, justice);
      expect([closed.status, closed.closedAt === null]).toEqual(['approved', false]);
      const types = await eventTypes(caseId, justice);
      expect(types).toEqual(expect.arrayContaining(['OBJECTION_RECEIVED', 'OBJECTION_FILED', 'OBJECTION_DECIDED']));
      expect(types.at(-1)).toBe('CASE_CLOSED');
      expect((await api(`/v1/staff/cases/${caseId}/verify`, justice)).body).toMatchObject({ ok: true });
    });

    it('takes the staff objection after a refusal; not upheld, the case ends rejected', async () => {
      const caseId = await refused();
      const answer = await post(`/v1/staff/cases/${caseId}/objections`, justice, { summary: 'letter of objection' });
      expect(answer.status).toBe(202);
      await travel.settle();
      await decide(caseId, bureau[0]!, 'objection-review', { outcome: 'not-upheld' });
      const closed = await caseView(caseId, justice);
      expect([closed.status, closed.closedAt === null]).toEqual(['rejected', false]);
      expect((await eventTypes(caseId, justice)).at(-1)).toBe('CASE_CLOSED');
    });

    it('refuses an objection once the 60-day window has run out: the case is closed', async () => {
      const caseId = await refused();
      await travel.advanceBy(62 * DAY);
      expect((await caseView(caseId, justice)).closedAt).not.toBeNull();
      const answer = await portalPost(`/v1/cases/${caseId}/objections`, { reason: 'other' });
      expect(answer.status).toBe(409);
    });
  });

  describe('公租房 re-review (复核) after a refusal', () => {
    it('takes the re-review request over the portal; not upheld, the refusal stands and the case closes', async () => {
      const housing = (subject: string, level: string, division: string) =>
        staffToken(env.env, subject, { department: 'housing-urban-rural', level, divisions: [division] });
      const street = await housing('housing-s', 'street', TIANSHAN_STREET);
      const [reviewer, rereviewer] = [
        await housing('housing-d', 'district', TIANSHAN_DISTRICT),
        await housing('housing-e', 'district', TIANSHAN_DISTRICT),
      ];
      const application = minimumLivingApplication();
      const caseId = await submit({
        ...application,
        itemCode: 'BPS-060',
        details: { priorityHousehold: false },
        materials: [
          ...application.materials,
          { type: 'housing-status-proof', fileName: 'f.pdf', sha256: 'b'.repeat(64), reference: 'housing' },
        ],
      });
      await decide(caseId, street, 'acceptance', { outcome: 'approve' });
      await decide(caseId, reviewers.district, 'means-check', { outcome: 'approve' });
      await decide(caseId, reviewer, 'housing-review', { outcome: 'reject', reasonCode: 'HAS_ADEQUATE_HOUSING' });
      expect((await caseView(caseId, reviewer)).status).toBe('rejected');

      const answer = await portalPost(`/v1/cases/${caseId}/objections`, { reason: 'other' });
      expect(answer.status).toBe(202);
      await travel.settle();
      await decide(caseId, rereviewer, 're-review', { outcome: 'not-upheld' });
      const closed = await caseView(caseId, reviewer);
      expect([closed.status, closed.closedAt === null]).toEqual(['rejected', false]);
      expect(await eventTypes(caseId, reviewer)).toEqual(expect.arrayContaining(['OBJECTION_FILED', 'CASE_CLOSED']));
    });
  });
});
