import { randomUUID } from 'node:crypto';
import { createMinshengClient, type MinshengClient, type Schemas } from '@minsheng/client';
import { PiiCipher } from '../../libs/infra/src/index.js';
import { createPortal } from '../../apps/gateway/src/portals/portal-registry.js';
import { nextIdNumber } from '../integration/intake/intake-fixtures.js';
import { documentedAnswers } from '../support/api-contract.js';
import { eventually } from '../support/given.js';
import { freePort, runNode, type RunningProcess } from '../support/processes.js';
import { tianshanReviewers, type StaffToken } from '../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../support/test-environment.js';
import { promoteClockTimer } from '../support/time-travel.js';

/** An answer's body, or the test fails with the problem the gateway sent: narrowing, not a cast. */
function must<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${result.response.status} ${result.response.url}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

// Another team's programs, written only against the generated client (libs/client) with no casts: a portal submits
// an application and follows its case; reviewers claim and decide every step of it. Every answer is checked against
// openapi.json by the client's middleware. Gateway and worker run as compiled processes (`npm run build` first).
describe('the typed client drives a minimum living case from submission to approval', () => {
  let env: TestEnvironment;
  let gatewayProcess: RunningProcess;
  let workerProcess: RunningProcess;
  let base: string;

  beforeAll(async () => {
    env = await createTestEnvironment('e2e typed client');
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

  const clientFor = (headers: Record<string, string>): MinshengClient => {
    const client = createMinshengClient({ baseUrl: base, headers });
    client.use(documentedAnswers);
    return client;
  };

  it('submits, reads the case, claims and decides each task, and reads the approved case', async () => {
    const cipher = new PiiCipher(env.config.pii.encryptionKey, env.config.pii.hashKey);
    const q = { query: async (sql: string, params?: unknown[]) => (await env.db.query(sql, params)).rows };
    const { apiKey } = await createPortal(q, cipher, {
      name: 'typed client portal',
      allowedItems: ['BPS-064'],
      rateLimitPerMinute: 10_000,
    });

    // The portal's program.
    const portal = clientFor({ 'x-api-key': apiKey });
    const idNumber = nextIdNumber();
    const portalReference = `TC-${randomUUID()}`;
    const document = (type: Schemas['ApplicationRequest']['materials'][number]['type'], hex: string) => ({
      type,
      fileName: `${type}.pdf`,
      sha256: hex.repeat(64),
      reference: `oss://typed-client/${type}`,
    });
    const submitted = must(
      await portal.POST('/v1/applications', {
        params: { header: { 'Idempotency-Key': randomUUID() } },
        body: {
          itemCode: 'BPS-064',
          portalReference,
          applicant: {
            name: '张三',
            idNumber,
            phone: '13912345678',
            householdRegistrationDivision: '650102002',
            householdRegistrationType: 'urban',
            residenceDivision: '650102002',
            address: '天山区燕儿窝路 1 号',
          },
          household: {
            members: [
              {
                relation: 'head',
                name: '张三',
                idNumber,
                birthDate: '1980-01-01',
                health: 'chronic-illness',
                workCapacity: 'partial',
                monthlyIncome: { wages: 20_000, netTransfer: 5_000 },
              },
            ],
            essentialSpendingLast12Months: {
              medical: 120_000,
              education: 0,
              disabilityRehabilitation: 0,
              disasterOrAccident: 0,
              other: 0,
            },
            assets: {
              financialFen: { deposits: 50_000, securities: 0, insurance: 0, other: 0 },
              vehicles: [],
              houses: [],
            },
            dutyBearers: [],
          },
          reason: { category: 'illness', description: '长期患病' },
          consent: { economicDataCheck: true, givenAt: '2026-03-02T09:30:00+08:00' },
          materials: [
            document('application-form', 'a'),
            document('id-card', 'b'),
            document('household-register', 'c'),
            document('income-proof', 'd'),
            document('economic-check-authorisation', 'e'),
          ],
        },
      }),
    );
    expect(submitted.status).toBe('submitted');
    const caseId = submitted.caseId;
    const read = must(await portal.GET('/v1/cases/{id}', { params: { path: { id: caseId } } }));
    expect(read).toMatchObject({ caseId, trackingNumber: submitted.trackingNumber, itemCode: 'BPS-064' });
    expect(read.events[0]?.type).toBe('APPLICATION_SUBMITTED');
    const found = must(await portal.GET('/v1/cases', { params: { query: { portalReference } } }));
    expect(found.items.map((item) => item.caseId)).toEqual([caseId]);

    // The reviewers' program: find the case's task of a step in the inbox, claim it, decide it.
    const reviewers = await tianshanReviewers(env.env);
    const decide = async (
      who: StaffToken,
      step: string,
      decision: { outcome: 'approve'; comment?: string; findings?: Record<string, unknown> },
    ) => {
      const staff = clientFor(who.headers);
      const task = await eventually(async () => {
        const inbox = must(await staff.GET('/v1/tasks', { params: { query: { step, limit: 200 } } }));
        return inbox.items.find((item) => item.caseId === caseId);
      }, 20_000);
      const claimed = must(await staff.POST('/v1/tasks/{id}/claim', { params: { path: { id: task.id } } }));
      expect(claimed.claimedBy).toBe(`staff:${who.subject}`);
      const accepted = must(
        await staff.POST('/v1/tasks/{id}/decision', { params: { path: { id: task.id } }, body: decision }),
      );
      expect([step, accepted.outcome]).toEqual([step, 'approve']);
      return task;
    };

    const acceptance = await decide(reviewers.streetA, 'acceptance', { outcome: 'approve' });
    const detail = must(
      await clientFor(reviewers.streetA.headers).GET('/v1/tasks/{id}', { params: { path: { id: acceptance.id } } }),
    );
    expect(detail.applicant.name).toBe('张三');
    await decide(reviewers.streetB, 'investigation', {
      outcome: 'approve',
      comment: 'home visit done, bank data consistent',
      findings: { homeVisitDate: '2026-11-25', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 25_000 },
    });
    await decide(reviewers.streetC, 'street-review', { outcome: 'approve' });

    const street = clientFor(reviewers.streetA.headers);
    await eventually(async () => {
      const view = must(await street.GET('/v1/staff/cases/{id}', { params: { path: { id: caseId } } }));
      return view.status === 'public-notice';
    });
    const clocks = must(await street.GET('/v1/staff/cases/{id}/clocks', { params: { path: { id: caseId } } }));
    const notice = clocks.clocks.find((clock) => clock.clock === 'public-notice');
    if (notice === undefined) throw new Error('no public-notice clock');
    expect(await promoteClockTimer(env, notice.id, 'due')).toBe(notice.dueAt);
    await decide(reviewers.district, 'approval', { outcome: 'approve' });

    // The portal reads the outcome.
    const closed = await eventually(async () => {
      const view = must(await portal.GET('/v1/cases/{id}', { params: { path: { id: caseId } } }));
      return view.closedAt !== null && view;
    }, 20_000);
    expect(closed.status).toBe('approved');
    const timeline = must(await portal.GET('/v1/cases/{id}/events', { params: { path: { id: caseId } } }));
    expect(timeline.items.at(-1)?.type).toBe('CASE_CLOSED');
  });
});
