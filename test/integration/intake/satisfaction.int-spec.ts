import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { ManualClock } from '../../../libs/domain/src/index.js';
import { eventually } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';
import { givenPortal, legalAidApplication, minimumLivingApplication, post } from './intake-fixtures.js';

const DAY = 86_400_000;
const WINDOW_DAYS = 10;

/**
 * The satisfaction survey (docs/api.md "Satisfaction"): once per closed case, a score and reason codes, within the
 * published window counted on the business clock; operators read the results by item, office and month.
 */
describe('POST /v1/cases/{id}/satisfaction and GET /v1/ops/satisfaction', () => {
  let env: TestEnvironment;
  let clock: ManualClock;
  let gateway: NestFastifyApplication;
  let worker: INestApplicationContext;
  let base: string;
  let portal: { portalId: string; apiKey: string };
  let otherPortal: { portalId: string; apiKey: string };
  let operator: StaffToken;
  let reviewer: StaffToken;

  beforeAll(async () => {
    env = await createTestEnvironment('satisfaction', {
      HEARTBEAT_EVERY_MS: '60000',
      SATISFACTION_WINDOW_DAYS: String(WINDOW_DAYS),
    });
    clock = new ManualClock(new Date(TEST_CLOCK_START));
    worker = await createWorker(env.config, { clock });
    gateway = await createGateway(env.config, { clock });
    base = await listen(gateway);
    portal = await givenPortal(env);
    otherPortal = await givenPortal(env);
    operator = await staffToken(env.env, 'op-1', { roles: ['operator'] });
    reviewer = await staffToken(env.env, 'street-a');
  });
  afterAll(async () => {
    await gateway?.close();
    await worker?.close();
    await env?.teardown();
  });

  const submit = async (application: Record<string, unknown>) => {
    const answer = await post(base, '/v1/applications', portal.apiKey, application, randomUUID());
    expect(answer.status).toBe(202);
    return answer.body.caseId as string;
  };
  /** The portal withdraws the case; the engine closes it. */
  const closed = async (caseId: string) => {
    const withdrawn = await post(
      base,
      `/v1/cases/${caseId}/withdrawal`,
      portal.apiKey,
      { reason: 'applicant-request' },
      randomUUID(),
    );
    expect(withdrawn.status).toBe(202);
    await eventually(async () => {
      const { rows } = await env.db.query(`SELECT closed_at FROM cases WHERE id = $1`, [caseId]);
      return rows[0].closed_at !== null;
    });
    return caseId;
  };
  const answer = (caseId: string, body: unknown, apiKey = portal.apiKey) =>
    getJson(`${base}/v1/cases/${caseId}/satisfaction`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const answers = async () =>
    (await env.db.query(`SELECT count(*)::int AS n FROM case_satisfaction`)).rows[0].n as number;
  const results = (query: string, who: StaffToken = operator) =>
    getJson(`${base}/v1/ops/satisfaction?${query}`, { headers: who.headers });

  it('takes one answer per closed case of the portal, within the window, and reports them grouped', async () => {
    // June: two 低保 cases and a legal-aid case close; one stays open.
    const open = await submit(minimumLivingApplication());
    const june1 = await closed(await submit(minimumLivingApplication()));
    const june2 = await closed(await submit(minimumLivingApplication()));
    const legalAid = await closed(await submit(legalAidApplication()));
    const late = await closed(await submit(minimumLivingApplication()));

    const early = await answer(open, { score: 5, reasons: [] });
    expect([early.status, early.body.code]).toEqual([409, 'SATISFACTION.CASE_OPEN']);
    // Another portal's case is not found; free text, an unknown reason and a score out of range are refused.
    expect((await answer(june1, { score: 5 }, otherPortal.apiKey)).status).toBe(404);
    const freeText = await answer(june1, { score: 5, reasons: ['fast'], comment: '很好' });
    expect([freeText.status, freeText.body.errors[0].code]).toEqual([400, 'UNRECOGNIZED_KEY']);
    expect((await answer(june1, { score: 5, reasons: ['very kind'] })).body.errors[0].field).toBe('reasons.0');
    expect((await answer(june1, { score: 6 })).body.errors[0].field).toBe('score');
    expect((await answer(june1, { score: 0 })).status).toBe(400);
    expect(await answers()).toBe(0);

    const first = await answer(june1, { score: 4, reasons: ['fast', 'courteous'] });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      caseId: june1,
      score: 4,
      reasons: ['fast', 'courteous'],
      submittedAt: clock.now().toISOString(),
      windowDays: WINDOW_DAYS,
    });
    const twice = await answer(june1, { score: 1, reasons: ['slow'] });
    expect([twice.status, twice.body.code]).toEqual([409, 'SATISFACTION.ALREADY_SUBMITTED']);
    expect((await answer(june2, { score: 2, reasons: ['slow', 'too-many-materials'] })).status).toBe(201);
    expect((await answer(legalAid, { score: 5, reasons: ['fast'] })).status).toBe(201);

    // A millisecond past the window (counted from the instant the case closed) is too late, and nothing is written.
    clock.advanceBy(WINDOW_DAYS * DAY + 1);
    const tooLate = await answer(late, { score: 3 });
    expect([tooLate.status, tooLate.body.code]).toEqual([422, 'SATISFACTION.WINDOW_CLOSED']);
    expect(await answers()).toBe(3);

    // July: another 低保 case closes and is answered.
    clock.advanceTo(new Date('2026-07-02T10:00:00+08:00'));
    const july = await closed(await submit(minimumLivingApplication()));
    expect((await answer(july, { score: 3, reasons: ['fast'] })).status).toBe(201);

    const byItemAndMonth = await results('from=2026-06-01&to=2026-07-31&groupBy=item,month');
    expect(byItemAndMonth.status).toBe(200);
    expect(byItemAndMonth.body).toEqual({
      from: '2026-06-01',
      to: '2026-07-31',
      groupBy: ['item', 'month'],
      groups: [
        {
          item: 'BPS-064',
          month: '2026-06',
          count: 2,
          averageScore: 3,
          scores: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 0 },
          reasons: { courteous: 1, fast: 1, slow: 1, 'too-many-materials': 1 },
        },
        {
          item: 'BPS-064',
          month: '2026-07',
          count: 1,
          averageScore: 3,
          scores: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 0 },
          reasons: { fast: 1 },
        },
        {
          item: 'BPS-071',
          month: '2026-06',
          count: 1,
          averageScore: 5,
          scores: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 },
          reasons: { fast: 1 },
        },
      ],
    });
    const byOffice = await results('from=2026-06-01&to=2026-06-30&groupBy=office');
    expect(byOffice.body.groups).toEqual([
      expect.objectContaining({ office: '650102', count: 1, averageScore: 5 }),
      expect.objectContaining({ office: '650102002', count: 2, averageScore: 3 }),
    ]);
    // The period is inclusive of both dates, in China Standard Time.
    expect((await results('from=2026-07-02&to=2026-07-02&groupBy=month')).body.groups).toEqual([
      expect.objectContaining({ month: '2026-07', count: 1 }),
    ]);
    expect((await results('from=2026-07-03&to=2026-07-31')).body.groups).toEqual([]);

    // Operators only; the query is checked.
    expect((await results('from=2026-06-01&to=2026-07-31', reviewer)).status).toBe(403);
    const badGroup = await results('from=2026-06-01&to=2026-07-31&groupBy=applicant');
    expect([badGroup.status, badGroup.body.errors[0].field]).toEqual([400, 'groupBy.0']);
    expect((await results('from=2026-07-31&to=2026-06-01')).status).toBe(400);
  });
});
