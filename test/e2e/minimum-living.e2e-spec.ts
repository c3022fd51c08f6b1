import { decideOverHttp, submitMinimumLiving, taskOfCase } from '../support/e2e-case.js';
import { eventually } from '../support/given.js';
import { getJson } from '../support/http.js';
import { freePort, runNode, type RunningProcess } from '../support/processes.js';
import { tianshanReviewers, type StaffToken } from '../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../support/test-environment.js';
import { promoteClockTimer } from '../support/time-travel.js';

// Gateway and worker as two separate compiled processes (`npm run build` first), a portal submitting over HTTP,
// and the reviewers of the right offices deciding every step over HTTP, to an approved case with its allowance.
describe('minimum living allowance, end to end: POST /v1/applications → every step → approved', () => {
  let env: TestEnvironment;
  let gatewayProcess: RunningProcess;
  let workerProcess: RunningProcess;
  let base: string;

  beforeAll(async () => {
    env = await createTestEnvironment('e2e minimum living');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const processEnv = { ...env.env, GATEWAY_PORT: String(port), HEARTBEAT_EVERY_MS: '60000', LOG_LEVEL: 'warn' };
    gatewayProcess = runNode('dist/apps/gateway/src/main.js', processEnv);
    workerProcess = runNode('dist/apps/worker/src/main.js', processEnv);
    await gatewayProcess.waitFor(/minsheng gateway listening/);
    await workerProcess.waitFor(/minsheng worker running/);
  });

  afterAll(async () => {
    await gatewayProcess?.stop();
    await workerProcess?.stop();
    await env?.teardown();
  });

  it('takes an application through acceptance, investigation, review, public notice and approval', async () => {
    const caseId = await submitMinimumLiving(env, base, 'e2e portal');
    const reviewers = await tianshanReviewers(env.env);
    const taskOf = (who: StaffToken, step: string) => taskOfCase(base, caseId, who.headers, step);
    const decide = async (who: StaffToken, step: string, body: Record<string, unknown>) => {
      expect([step, await decideOverHttp(base, caseId, who.headers, step, body)]).toEqual([step, 202]);
    };

    // 受理 at 燕儿窝街道: the reviewer sees the applicant in clear (audited).
    const acceptance = await taskOf(reviewers.streetA, 'acceptance');
    const detail = await getJson(`${base}/v1/tasks/${acceptance}`, { headers: reviewers.streetA.headers });
    expect(detail.status).toBe(200);
    expect(detail.body.applicant.name).toBe('张三');
    await decide(reviewers.streetA, 'acceptance', { outcome: 'approve' });
    await decide(reviewers.streetB, 'investigation', {
      outcome: 'approve',
      comment: 'home visit done, bank data consistent',
      findings: { homeVisitDate: '2026-11-25', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 25_000 },
    });
    await decide(reviewers.streetC, 'street-review', { outcome: 'approve' });
    await eventually(async () => {
      const view = await getJson(`${base}/v1/staff/cases/${caseId}`, { headers: reviewers.streetA.headers });
      return view.body.status === 'public-notice';
    });
    // The 7-day notice ends: its delayed 'due' timer is promoted, as if seven days had passed, and the worker does
    // the rest (reads the clock row, sends NOTICE_PERIOD_ENDED, the engine opens the district's approval).
    const clocks = await getJson(`${base}/v1/staff/cases/${caseId}/clocks`, { headers: reviewers.streetA.headers });
    const notice = clocks.body.clocks.find((c: { clock: string }) => c.clock === 'public-notice');
    expect(notice).toMatchObject({ kind: 'period', limit: { amount: 7, unit: 'calendar-days' } });
    expect(await promoteClockTimer(env, notice.id, 'due')).toBe(notice.dueAt);
    await decide(reviewers.district, 'approval', { outcome: 'approve' });

    const approved = await eventually(async () => {
      const view = await getJson(`${base}/v1/staff/cases/${caseId}`, { headers: reviewers.district.headers });
      return view.body.closedAt !== null && view.body;
    }, 20_000);
    expect(approved.status).toBe('approved');
    // One member, verified income 250.00: (380.00 − 250.00) × 1 = 130.00 yuan a month (2015 urban standard [S P20]).
    expect(approved.entitlement).toMatchObject({
      kind: 'minimum-living-allowance',
      eligible: true,
      monthlyAmountFen: 13_000,
    });
    expect(approved.tasks.every((t: { closedAt: string | null }) => t.closedAt !== null)).toBe(true);
    const verify = await getJson(`${base}/v1/staff/cases/${caseId}/verify`, { headers: reviewers.district.headers });
    expect(verify.body).toMatchObject({ ok: true, headMatches: true });
    const events = await getJson(`${base}/v1/staff/cases/${caseId}/events`, { headers: reviewers.district.headers });
    const types: string[] = events.body.items.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('APPLICATION_SUBMITTED');
    expect(types.filter((t) => t === 'DECISION_SUBMITTED')).toHaveLength(4);
    expect(types).toContain('ENTITLEMENT_GRANTED');
    expect(types.at(-1)).toBe('CASE_CLOSED');
  });
});
