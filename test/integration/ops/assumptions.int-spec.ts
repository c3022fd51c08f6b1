import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { CaseEngine } from '../../../apps/worker/src/engine/case-engine.js';
import { ManualClock, toShanghaiDate } from '../../../libs/domain/src/index.js';
import { givenPortal, minimumLivingApplication } from '../intake/intake-fixtures.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, tianshanReviewers, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';
import { TimeTravel } from '../../support/time-travel.js';

interface ParameterSource {
  key: string;
  value: number;
  provisional: boolean;
}

/**
 * Amounts computed from an assumed or expired parameter value are provisional in every answer that shows them (the
 * staff case, the portal case, the operators' list of assumptions), and a confirmed value published later makes
 * the amounts computed after it confirmed, leaving earlier ones as they were (docs/operations.md "Assumptions in
 * force"). Cases run through the real path: portal, reviewers' decisions, the notice period's timer.
 */
describe('provisional amounts and GET /v1/ops/assumptions', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let gateway: NestFastifyApplication;
  let travel: TimeTravel;
  let base: string;
  let apiKey: string;
  let reviewers: Awaited<ReturnType<typeof tianshanReviewers>>;
  let operator: StaffToken;

  beforeAll(async () => {
    env = await createTestEnvironment('assumptions', { HEARTBEAT_EVERY_MS: '60000' });
    const clock = new ManualClock(new Date(TEST_CLOCK_START));
    worker = await createWorker(env.config, { clock });
    gateway = await createGateway(env.config, { clock });
    base = await listen(gateway);
    travel = await TimeTravel.start(env, worker, clock);
    ({ apiKey } = await givenPortal(env, { items: ['BPS-064'] }));
    reviewers = await tianshanReviewers(env.env);
    operator = await staffToken(env.env, 'op', { level: 'city', divisions: ['650100'], roles: ['operator'] });
  });
  afterAll(async () => {
    await travel?.close();
    await gateway?.close();
    await worker?.close();
    await env?.teardown();
  });

  const api = (path: string, who: StaffToken, init: RequestInit = {}) =>
    getJson(`${base}${path}`, { ...init, headers: { ...who.headers, ...(init.headers ?? {}) } });
  const portal = (path: string) => getJson(`${base}${path}`, { headers: { 'x-api-key': apiKey } });

  async function submit(): Promise<string> {
    const answer = await getJson(`${base}/v1/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'idempotency-key': randomUUID() },
      body: JSON.stringify(minimumLivingApplication()),
    });
    expect(answer.status).toBe(202);
    await travel.settle();
    return answer.body.caseId as string;
  }

  async function decide(caseId: string, who: StaffToken, step: string, body: Record<string, unknown>) {
    const inbox = await api(`/v1/tasks?step=${step}&limit=200`, who);
    const task = inbox.body.items.find((t: { caseId: string }) => t.caseId === caseId);
    expect([step, task === undefined]).toEqual([step, false]);
    const answer = await api(`/v1/tasks/${task.id}/decision`, who, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect([step, answer.status]).toEqual([step, 202]);
    await travel.settle();
  }

  /** A 低保 case from submission to its district approval, the 公示 ended by its timer. */
  async function approvedCase(): Promise<string> {
    const caseId = await submit();
    await decide(caseId, reviewers.streetA, 'acceptance', { outcome: 'approve' });
    await decide(caseId, reviewers.streetB, 'investigation', {
      outcome: 'approve',
      findings: { homeVisitDate: '2026-06-01', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 25_000 },
    });
    await decide(caseId, reviewers.streetC, 'street-review', { outcome: 'approve' });
    const clocks = (await api(`/v1/staff/cases/${caseId}/clocks`, operator)).body.clocks as {
      clock: string;
      dueAt: string;
    }[];
    await travel.advanceTo(clocks.find((c) => c.clock === 'public-notice')!.dueAt);
    await decide(caseId, reviewers.district, 'approval', { outcome: 'approve' });
    return caseId;
  }

  const staffCase = async (caseId: string) => (await api(`/v1/staff/cases/${caseId}`, reviewers.streetA)).body;
  const assumptions = async () => {
    const answer = await api('/v1/ops/assumptions', operator);
    expect(answer.status).toBe(200);
    return answer.body as {
      parameters: { key: string; why: string; openCases: number; items: string[] }[];
      limits: { evidence: string; uses: { item: string; name: string }[]; openCases: number }[];
    };
  };

  it('is for operators only', async () => {
    expect((await api('/v1/ops/assumptions', reviewers.streetA)).status).toBe(403);
    expect((await getJson(`${base}/v1/ops/assumptions`)).status).toBe(401);
  });

  it('lists the stale 2015 standard and the assumed limits with the open cases relying on them', async () => {
    const before = await assumptions();
    const standard = before.parameters.find((p) => p.key === 'minimum-living.standard.urban');
    expect(standard).toMatchObject({ why: 'past-known-validity', items: expect.arrayContaining(['BPS-064']) });
    const streetReview = before.limits.find((l) => l.uses.some((u) => u.item === 'BPS-056'));
    expect(streetReview).toMatchObject({ evidence: 'G' });
    // Every listed limit is an assumption; the 低保 limits (民发〔2021〕57号) are not among them.
    expect(before.limits.every((l) => l.evidence === 'G')).toBe(true);
    expect(before.limits.flatMap((l) => l.uses).some((u) => u.item === 'BPS-064')).toBe(false);

    const open = await submit();
    const after = await assumptions();
    expect(after.parameters.find((p) => p.key === 'minimum-living.standard.urban')!.openCases).toBe(
      standard!.openCases + 1,
    );
    expect((await staffCase(open)).amount).toBeNull();
  });

  it('flags an amount from a stale value provisional everywhere; a confirmed value clears it for later amounts', async () => {
    const early = await approvedCase();
    const earlyCase = await staffCase(early);
    expect(earlyCase.status).toBe('approved');
    expect(earlyCase.amount).toEqual({ monthlyAmountFen: expect.any(Number), provisional: true });
    expect((await portal(`/v1/cases/${early}`)).body.amount).toEqual(earlyCase.amount);
    const used = earlyCase.entitlement.parameterSources as ParameterSource[];
    const provisional = used.filter((p) => p.provisional);
    expect(provisional.map((p) => p.key)).toContain('minimum-living.standard.urban');

    // The bureau confirms today's values: each published from today with a checked source.
    const today = toShanghaiDate(travel.clock.now());
    for (const parameter of provisional) {
      const published = await api('/v1/catalog/parameters', operator, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          key: parameter.key,
          value: parameter.value,
          validFrom: today,
          source: 'Urumqi notice (test)',
          evidence: 'V',
          reason: 'confirmed against the published notice',
        }),
      });
      expect([parameter.key, published.status]).toEqual([parameter.key, 201]);
    }
    await worker.get(CaseEngine).reloadParameters();
    const listed = (await assumptions()).parameters.map((p) => p.key);
    for (const parameter of provisional) expect(listed).not.toContain(parameter.key);

    const late = await approvedCase();
    const lateCase = await staffCase(late);
    expect(lateCase.amount).toEqual({ monthlyAmountFen: earlyCase.amount.monthlyAmountFen, provisional: false });
    expect((await portal(`/v1/cases/${late}`)).body.amount).toMatchObject({ provisional: false });
    // The amount computed before the confirmation keeps its flag: it was computed from the unconfirmed value.
    expect((await staffCase(early)).amount.provisional).toBe(true);
  });
});
