import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { ManualClock } from '../../../libs/domain/src/index.js';
import { givenPortal, legalAidApplication, minimumLivingApplication } from '../intake/intake-fixtures.js';
import { TIANSHAN_DISTRICT } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, tianshanReviewers, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';
import { TimeTravel } from '../../support/time-travel.js';

const DAY = 86_400_000;
const SHUIMOGOU_DISTRICT = '650105';

interface CaseEvent {
  type: string;
  actor: string;
  payload: Record<string, unknown>;
}

/**
 * Who decides, and what the system ends by itself, over HTTP only (docs/procedures.md): the supplement window
 * that lapses into "deemed withdrawn", and the staff of the responsible office seeing a case the engine refused
 * at intake. The advancing clock fires the timers through the real path; the test writes nothing to the database.
 */
describe('procedures: levels, lapses and what staff see', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let gateway: NestFastifyApplication;
  let travel: TimeTravel;
  let base: string;
  let apiKey: string;
  let justice: StaffToken;
  let reviewers: Awaited<ReturnType<typeof tianshanReviewers>>;

  beforeAll(async () => {
    env = await createTestEnvironment('procedures levels', { HEARTBEAT_EVERY_MS: '60000' });
    const clock = new ManualClock(new Date(TEST_CLOCK_START));
    worker = await createWorker(env.config, { clock });
    gateway = await createGateway(env.config, { clock });
    base = await listen(gateway);
    travel = await TimeTravel.start(env, worker, clock);
    ({ apiKey } = await givenPortal(env, { items: ['BPS-064', 'BPS-066', 'BPS-069', 'BPS-071', 'BPS-032'] }));
    reviewers = await tianshanReviewers(env.env);
    justice = await staffToken(env.env, 'justice-j', {
      department: 'justice',
      level: 'district',
      divisions: [TIANSHAN_DISTRICT],
    });
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
    expect([answer.status, answer.status === 202 ? null : answer.body]).toEqual([202, null]);
    await travel.settle();
    return answer.body.caseId as string;
  }

  async function decide(caseId: string, who: StaffToken, step: string, body: Record<string, unknown>) {
    const inbox = await api(`/v1/tasks?step=${step}&limit=200`, who);
    const task = inbox.body.items.find((t: { caseId: string }) => t.caseId === caseId);
    expect([step, task === undefined]).toEqual([step, false]);
    const answer = await post(`/v1/tasks/${task.id}/decision`, who, body);
    expect([step, answer.status]).toEqual([step, 202]);
    await travel.settle();
  }

  const caseView = async (caseId: string, who: StaffToken) => (await api(`/v1/staff/cases/${caseId}`, who)).body;
  const events = async (caseId: string, who: StaffToken) =>
    (await api(`/v1/staff/cases/${caseId}/events`, who)).body.items as CaseEvent[];
  const clockOf = async (caseId: string, who: StaffToken, name: string) =>
    ((await api(`/v1/staff/cases/${caseId}/clocks`, who)).body.clocks as { clock: string; state: string }[]).find(
      (c) => c.clock === name,
    );

  describe('the supplement window (法律援助法 art. 43 para. 2)', () => {
    async function returnedForMaterial(): Promise<string> {
      const caseId = await submit(legalAidApplication());
      await decide(caseId, justice, 'review', { outcome: 'return', missingMaterials: ['legal-matter-documents'] });
      expect((await caseView(caseId, justice)).status).toBe('awaiting-applicant');
      expect((await clockOf(caseId, justice, 'supplement-window'))?.state).not.toBe('stopped');
      return caseId;
    }

    it('deems the application withdrawn once, and tells the applicant, when the material never comes', async () => {
      const caseId = await returnedForMaterial();
      // Seven days are counted in working days here; a fortnight passes them whatever the holidays.
      await travel.advanceBy(14 * DAY);
      const closed = await caseView(caseId, justice);
      expect([closed.status, closed.closedAt === null]).toEqual(['withdrawn', false]);
      const log = await events(caseId, justice);
      const types = log.map((e) => e.type);
      expect(types.filter((t) => t === 'SUPPLEMENT_LAPSED')).toHaveLength(1);
      expect(log.find((e) => e.type === 'SUPPLEMENT_LAPSED')?.actor).toBe('system:timer');
      expect(log.filter((e) => e.type === 'APPLICANT_NOTIFIED').map((e) => e.payload['template'])).toEqual(
        expect.arrayContaining(['missing-materials', 'deemed-withdrawn']),
      );
      expect(types).not.toContain('COMMAND_REFUSED');
      expect(types.at(-1)).toBe('CASE_CLOSED');
      expect(log.at(-1)?.payload).toMatchObject({ outcome: 'deemed-withdrawn' });
      expect((await api(`/v1/staff/cases/${caseId}/verify`, justice)).body).toMatchObject({ ok: true });

      // Time moving on fires nothing more: the lapse happened exactly once.
      await travel.advanceBy(30 * DAY);
      expect((await events(caseId, justice)).filter((e) => e.type === 'SUPPLEMENT_LAPSED')).toHaveLength(1);
    });

    it('is cancelled by a supplement that arrives first: the review goes on', async () => {
      const caseId = await returnedForMaterial();
      await travel.advanceBy(2 * DAY);
      const answer = await portalPost(`/v1/cases/${caseId}/supplements`, {
        materials: [{ type: 'legal-matter-documents', fileName: 'f.pdf', sha256: 'c'.repeat(64), reference: 'x' }],
      });
      expect(answer.status).toBe(202);
      await travel.settle();
      expect((await clockOf(caseId, justice, 'supplement-window'))?.state).toBe('stopped');

      await travel.advanceBy(20 * DAY);
      const view = await caseView(caseId, justice);
      expect([view.status, view.closedAt]).toEqual(['in-review', null]);
      const types = (await events(caseId, justice)).map((e) => e.type);
      expect(types).toContain('SUPPLEMENT_RECEIVED');
      expect(types).not.toContain('SUPPLEMENT_LAPSED');
    });
  });

  describe('低保 refusals decided by the district unless delegated (社会救助暂行办法 art. 11(3))', () => {
    /** A 低保 case whose street investigation rejected it: a proposal, the district's task carrying the reason. */
    async function proposedForRefusal(): Promise<{ caseId: string; taskId: string }> {
      const caseId = await submit(minimumLivingApplication());
      await decide(caseId, reviewers.streetA, 'acceptance', { outcome: 'approve' });
      await decide(caseId, reviewers.streetB, 'investigation', {
        outcome: 'reject',
        reasonCode: 'INCOME_ABOVE_STANDARD',
      });
      const view = await caseView(caseId, reviewers.streetA);
      expect([view.status, view.closedAt, view.currentSteps]).toEqual(['in-review', null, ['refusal-decision']]);
      const inbox = await api('/v1/tasks?step=refusal-decision&limit=200', reviewers.district);
      const task = inbox.body.items.find((t: { caseId: string }) => t.caseId === caseId);
      expect(task).toMatchObject({ level: 'district', kind: 'decision', divisionCode: TIANSHAN_DISTRICT });
      const street = await api('/v1/tasks?step=refusal-decision&limit=200', reviewers.streetC);
      expect(street.body.items.filter((t: { caseId: string }) => t.caseId === caseId)).toEqual([]);
      const detail = await api(`/v1/tasks/${task.id}`, reviewers.district);
      expect(detail.body.task.details.proposal).toEqual({
        step: 'investigation',
        reasonCode: 'INCOME_ABOVE_STANDARD',
        proposedBy: 'staff:street-b',
      });
      const types = (await events(caseId, reviewers.streetA)).map((e) => e.type);
      expect(types).not.toContain('COMMAND_REFUSED');
      expect(types).not.toContain('DECISION_RECORDED');
      return { caseId, taskId: task.id as string };
    }

    it('the district refuses: the street serves the written refusal with the reason, and the case closes', async () => {
      const { caseId } = await proposedForRefusal();
      await decide(caseId, reviewers.district, 'refusal-decision', {
        outcome: 'reject',
        reasonCode: 'INCOME_ABOVE_STANDARD',
      });
      expect((await caseView(caseId, reviewers.streetA)).currentSteps).toEqual(['rejection-notice']);
      await decide(caseId, reviewers.streetC, 'rejection-notice', { outcome: 'approve' });
      const closed = await caseView(caseId, reviewers.district);
      expect([closed.status, closed.closedAt === null]).toEqual(['rejected', false]);
      const log = await events(caseId, reviewers.district);
      expect(log.filter((e) => e.type === 'DECISION_RECORDED').map((e) => e.payload)).toEqual([
        expect.objectContaining({ step: 'refusal-decision', outcome: 'rejected', reasonCode: 'INCOME_ABOVE_STANDARD' }),
      ]);
      expect(log.filter((e) => e.type === 'APPLICANT_NOTIFIED').map((e) => e.payload)).toEqual([
        expect.objectContaining({ template: 'rejected', reasonCode: 'INCOME_ABOVE_STANDARD' }),
      ]);
      expect((await api(`/v1/staff/cases/${caseId}/verify`, reviewers.district)).body).toMatchObject({ ok: true });
    });

    it('the district does not confirm the refusal: the case goes back to the street to investigate again', async () => {
      const { caseId } = await proposedForRefusal();
      await decide(caseId, reviewers.district, 'refusal-decision', { outcome: 'approve' });
      const view = await caseView(caseId, reviewers.streetA);
      expect([view.status, view.closedAt, view.currentSteps]).toEqual(['in-review', null, ['investigation']]);
      const types = (await events(caseId, reviewers.streetA)).map((e) => e.type);
      expect(types).not.toContain('COMMAND_REFUSED');
      expect(types).not.toContain('CASE_CLOSED');
    });
  });

  describe('特困 and 临时救助 refusals decided by the district', () => {
    const materials = (types: string[]) =>
      types.map((type) => ({ type, fileName: 'f.pdf', sha256: 'a'.repeat(64), reference: type }));

    it('特困: the street investigation proposes a refusal; the district refuses it', async () => {
      const caseId = await submit({
        ...minimumLivingApplication(),
        itemCode: 'BPS-066',
        materials: materials([
          'application-form',
          'id-card',
          'household-register',
          'economic-check-authorisation',
          'self-care-assessment',
        ]),
      });
      await decide(caseId, reviewers.streetA, 'acceptance', { outcome: 'approve' });
      // The investigation task tells the form what an approval must carry: the means and the care findings, as the
      // machine requires them (docs/console.md).
      const inbox = await api('/v1/tasks?step=investigation&limit=200', reviewers.streetB);
      const investigation = inbox.body.items.find((t: { caseId: string }) => t.caseId === caseId);
      const detail = await api(`/v1/tasks/${investigation.id}`, reviewers.streetB);
      expect(detail.body.task.requiredFindings.map((f: { name: string }) => f.name)).toEqual([
        'homeVisitDate',
        'dataCheck',
        'communityAssessmentNeeded',
        'selfCareLevel',
        'supportForm',
      ]);
      await decide(caseId, reviewers.streetB, 'investigation', { outcome: 'reject', reasonCode: 'CAPABLE_OF_WORK' });
      expect((await caseView(caseId, reviewers.streetA)).currentSteps).toEqual(['refusal-decision']);
      await decide(caseId, reviewers.district, 'refusal-decision', {
        outcome: 'reject',
        reasonCode: 'CAPABLE_OF_WORK',
      });
      await decide(caseId, reviewers.streetC, 'rejection-notice', { outcome: 'approve' });
      const closed = await caseView(caseId, reviewers.district);
      expect([closed.status, closed.closedAt === null]).toEqual(['rejected', false]);
      const refusal = (await events(caseId, reviewers.district)).filter((e) => e.type === 'DECISION_RECORDED');
      expect(refusal.map((e) => [e.payload['step'], e.payload['reasonCode']])).toEqual([
        ['refusal-decision', 'CAPABLE_OF_WORK'],
      ]);
    });

    it('临时救助 above the street’s delegated limit: a refused emergency relief is a proposal the district decides', async () => {
      const caseId = await submit({
        ...minimumLivingApplication(),
        itemCode: 'BPS-069',
        details: { assistanceType: 'emergency', requestedAmountFen: 100_000, priorAssistanceThisYearForCause: false },
        materials: materials([
          'application-form',
          'id-card',
          'household-register',
          'hardship-proof',
          'economic-check-authorisation',
        ]),
      });
      await decide(caseId, reviewers.streetA, 'emergency-relief', {
        outcome: 'reject',
        reasonCode: 'NOT_QUALIFYING_SITUATION',
      });
      const proposed = await caseView(caseId, reviewers.streetA);
      expect([proposed.status, proposed.closedAt, proposed.currentSteps]).toEqual([
        'in-review',
        null,
        ['refusal-decision'],
      ]);
      await decide(caseId, reviewers.district, 'refusal-decision', {
        outcome: 'reject',
        reasonCode: 'NOT_QUALIFYING_SITUATION',
      });
      const closed = await caseView(caseId, reviewers.district);
      expect([closed.status, closed.closedAt === null]).toEqual(['rejected', false]);
      const log = await events(caseId, reviewers.district);
      expect(log.filter((e) => e.type === 'APPLICANT_NOTIFIED').map((e) => e.payload)).toEqual([
        expect.objectContaining({
          template: 'rejected',
          step: 'refusal-decision',
          reasonCode: 'NOT_QUALIFYING_SITUATION',
        }),
      ]);
      expect((await api(`/v1/staff/cases/${caseId}/verify`, reviewers.district)).body).toMatchObject({ ok: true });
    });
  });

  describe('cases the engine ended by itself', () => {
    it('shows an unemployment benefit refused at intake to the district bureau responsible, and to no one else', async () => {
      const application = minimumLivingApplication();
      const caseId = await submit({
        ...application,
        itemCode: 'BPS-032',
        details: { unemploymentRegistered: false, competentDivision: TIANSHAN_DISTRICT },
        bankAccount: { bankName: '中国工商银行', accountHolder: '张三', accountNumber: '6222020200112233445' },
        materials: ['id-card', 'unemployment-registration', 'termination-certificate', 'bank-account'].map((type) => ({
          type,
          fileName: 'f.pdf',
          sha256: 'a'.repeat(64),
          reference: type,
        })),
      });
      const hr = (subject: string, level: string, division: string, department = 'human-resources-social-security') =>
        staffToken(env.env, subject, { department, level, divisions: [division] });
      const bureau = await hr('hr-d', 'district', TIANSHAN_DISTRICT);

      const view = await api(`/v1/staff/cases/${caseId}`, bureau);
      expect(view.status).toBe(200);
      expect([view.body.status, view.body.tasks, view.body.closedAt === null]).toEqual(['rejected', [], false]);
      const log = await events(caseId, bureau);
      expect(log.map((e) => e.type)).toEqual(expect.arrayContaining(['DECISION_RECORDED', 'CASE_CLOSED']));
      expect((await api(`/v1/staff/cases/${caseId}/verify`, bureau)).status).toBe(200);
      expect((await api(`/v1/staff/cases/${caseId}/clocks`, bureau)).status).toBe(200);

      // Another district's bureau, and another department of the same district, do not find it.
      for (const outsider of [
        await hr('hr-other-district', 'district', SHUIMOGOU_DISTRICT),
        await hr('civil-d', 'district', TIANSHAN_DISTRICT, 'civil-affairs'),
      ]) {
        expect((await api(`/v1/staff/cases/${caseId}`, outsider)).status).toBe(404);
        expect((await api(`/v1/staff/cases/${caseId}/events`, outsider)).status).toBe(404);
      }
    });
  });
});
