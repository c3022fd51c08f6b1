import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { ManualClock } from '../../../libs/domain/src/index.js';
import { PiiCipher } from '../../../libs/infra/src/index.js';
import { replayAll } from '../../../scripts/replay.js';
import { givenPortal, legalAidApplication, minimumLivingApplication } from '../intake/intake-fixtures.js';
import { TIANSHAN_DISTRICT } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, tianshanReviewers, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';
import { TimeTravel } from '../../support/time-travel.js';

const DAY = 86_400_000;
const cipherOf = (env: TestEnvironment) => new PiiCipher(env.config.pii.encryptionKey, env.config.pii.hashKey);

/**
 * Replay (docs/operations.md "Replay"): cases driven over HTTP through several procedures and timers, then every case
 * rebuilt from its event log alone and compared with the stored case and tasks; a tampered snapshot or status is
 * found by the replay, a tampered event by the chain check.
 */
describe('ops: replay of cases from their event log', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let gateway: NestFastifyApplication;
  let travel: TimeTravel;
  let base: string;
  let apiKey: string;
  let reviewers: Awaited<ReturnType<typeof tianshanReviewers>>;
  let justice: StaffToken;
  let bureau: StaffToken;
  let bureau2: StaffToken;
  let operator: StaffToken;
  const cases: Record<string, string> = {};

  beforeAll(async () => {
    env = await createTestEnvironment('ops replay', { HEARTBEAT_EVERY_MS: '60000' });
    const clock = new ManualClock(new Date(TEST_CLOCK_START));
    worker = await createWorker(env.config, { clock });
    gateway = await createGateway(env.config, { clock });
    base = await listen(gateway);
    travel = await TimeTravel.start(env, worker, clock);
    ({ apiKey } = await givenPortal(env, { items: ['BPS-064', 'BPS-071'] }));
    reviewers = await tianshanReviewers(env.env);
    const district = { department: 'justice', level: 'district', divisions: [TIANSHAN_DISTRICT] };
    justice = await staffToken(env.env, 'justice-j', district);
    bureau = await staffToken(env.env, 'justice-k', district);
    bureau2 = await staffToken(env.env, 'justice-l', district);
    operator = await staffToken(env.env, 'op-1', { roles: ['operator'] });
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

  async function decide(caseId: string, who: StaffToken, step: string, body: Record<string, unknown>) {
    const inbox = await api(`/v1/tasks?step=${step}&limit=200`, who);
    const task = inbox.body.items.find((t: { caseId: string }) => t.caseId === caseId);
    expect([step, task === undefined]).toEqual([step, false]);
    const answer = await post(`/v1/tasks/${task.id}/decision`, who, body);
    expect([step, answer.status]).toEqual([step, 202]);
    await travel.settle();
  }

  const statusOf = async (caseId: string) =>
    ((await env.db.query(`SELECT status FROM cases WHERE id = $1`, [caseId])).rows[0] as { status: string }).status;

  it('finds no difference in any case a run of several procedures leaves behind', async () => {
    // 低保: one in acceptance, one past acceptance with its investigation claimed (STEP_STARTED), one returned for
    // missing material (awaiting the applicant, the supplement window running).
    cases['ml-acceptance'] = await submit(minimumLivingApplication());
    cases['ml-investigation'] = await submit(minimumLivingApplication());
    await decide(cases['ml-investigation'], reviewers.streetA, 'acceptance', { outcome: 'approve' });
    const inbox = await api(`/v1/tasks?step=investigation&limit=200`, reviewers.streetB);
    const investigation = inbox.body.items.find((t: { caseId: string }) => t.caseId === cases['ml-investigation']);
    expect((await post(`/v1/tasks/${investigation.id}/claim`, reviewers.streetB)).status).toBe(200);
    await travel.settle();
    cases['ml-returned'] = await submit(minimumLivingApplication());
    await decide(cases['ml-returned'], reviewers.streetA, 'acceptance', {
      outcome: 'return',
      missingMaterials: ['household-register'],
    });
    // 法律援助: refused then upheld on objection (closed approved); refused and left to lapse (closed by a timer);
    // one in review whose clocks run past their limits (breach timers).
    cases['la-upheld'] = await submit(legalAidApplication());
    await decide(cases['la-upheld'], justice, 'review', { outcome: 'reject', reasonCode: 'MATTER_NOT_COVERED' });
    expect((await portalPost(`/v1/cases/${cases['la-upheld']}/objections`, { reason: 'other' })).status).toBe(202);
    await travel.settle();
    await decide(cases['la-upheld'], bureau, 'objection-review', { outcome: 'upheld' });
    await decide(cases['la-upheld'], bureau2, 'assignment', { outcome: 'approve' });
    cases['la-lapsed'] = await submit(legalAidApplication());
    await decide(cases['la-lapsed'], justice, 'review', { outcome: 'reject', reasonCode: 'MATTER_NOT_COVERED' });
    cases['la-in-review'] = await submit(legalAidApplication());
    await travel.advanceBy(62 * DAY);

    expect(await statusOf(cases['ml-acceptance'])).toBe('in-review');
    expect(await statusOf(cases['la-lapsed'])).toBe('rejected');
    expect(await statusOf(cases['la-upheld'])).toBe('approved');
    expect(await statusOf(cases['ml-returned'])).toBe('awaiting-applicant');
    // Past its limits, the case in review has escalation tasks beside its review task: clocks open those, not the
    // machine, and the replay leaves them out.
    const escalations = await env.db.query(
      `SELECT count(*)::int AS n FROM tasks WHERE case_id = $1 AND kind = 'escalation' AND closed_at IS NULL`,
      [cases['la-in-review']],
    );
    expect(escalations.rows[0].n).toBeGreaterThan(0);

    const summary = await replayAll(env.db, cipherOf(env), 2);
    expect(summary.findings).toEqual([]);
    expect(summary).toMatchObject({ cases: 6, consistent: 6, diverged: 0, unreplayable: 0, chainBroken: 0 });

    const one = await api(`/v1/ops/cases/${cases['la-upheld']}/replay`, operator);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ verdict: 'consistent', divergences: [], chain: { ok: true } });
  });

  it('reports a tampered status and snapshot as a divergence, and a tampered event as a broken chain', async () => {
    const caseId = cases['ml-investigation']!;
    await env.db.query(
      `UPDATE cases SET status = 'approved', snapshot = jsonb_set(snapshot, '{value}', '"approved"') WHERE id = $1`,
      [caseId],
    );
    const tampered = await api(`/v1/ops/cases/${caseId}/replay`, operator);
    expect(tampered.status).toBe(200);
    expect(tampered.body.verdict).toBe('diverged');
    expect(tampered.body.chain).toEqual({ ok: true, events: expect.any(Number) });
    const fields = (tampered.body.divergences as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['status', 'snapshot']));
    expect(tampered.body.divergences).toContainEqual({ field: 'status', stored: 'approved', replayed: 'in-review' });

    // An event changed in place: the replay still agrees with the stored rows, the chain check does not.
    const other = cases['la-lapsed']!;
    await env.db.query(
      `UPDATE case_events SET actor = 'staff:someone-else' WHERE case_id = $1
         AND seq = (SELECT min(seq) FROM case_events WHERE case_id = $1 AND type = 'DECIDED')`,
      [other],
    );
    const broken = await api(`/v1/ops/cases/${other}/replay`, operator);
    expect(broken.body).toMatchObject({ verdict: 'consistent', chain: { ok: false, reason: 'content changed' } });

    const summary = await replayAll(env.db, cipherOf(env));
    expect(summary).toMatchObject({ cases: 6, consistent: 5, diverged: 1, chainBroken: 1 });
    expect(summary.findings.map((f) => f.caseId).sort()).toEqual([caseId, other].sort());
  });

  it('answers 404 for an unknown case, 400 naming the id for a malformed one, and refuses a reviewer', async () => {
    expect((await api(`/v1/ops/cases/${randomUUID()}/replay`, operator)).status).toBe(404);
    const malformed = await api(`/v1/ops/cases/not-a-case/replay`, operator);
    expect([malformed.status, malformed.body.errors?.[0]?.field]).toEqual([400, 'id']);
    expect((await api(`/v1/ops/cases/${cases['la-upheld']}/replay`, reviewers.streetA)).status).toBe(403);
  });
});
