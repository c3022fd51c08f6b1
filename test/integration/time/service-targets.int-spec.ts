import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import {
  addWorkingDays,
  endOfDayInShanghai,
  getServiceItem,
  ManualClock,
  officialCalendarSet,
} from '../../../libs/domain/src/index.js';
import { ASSUMED_LIMITS } from '../../../libs/workflows/src/general-review/configurations.js';
import { givenPortal, minimumLivingApplication } from '../intake/intake-fixtures.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, tianshanReviewers, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';
import { TimeTravel } from '../../support/time-travel.js';

/**
 * A clock built on a limit no statute or regulation sets is a service target (docs/clocks.md "Statutory limits and
 * service targets"): it reminds and shows as late on the SLA board, but is never escalated as a breach. A
 * minimum-living case, whose limits 民发〔2021〕57号 sets, is the statutory counterpart. Time runs through the real
 * timer path (TimeTravel).
 */
describe('service targets: clocks on assumed limits remind and show late, but do not escalate', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let gateway: NestFastifyApplication;
  let travel: TimeTravel;
  let base: string;
  let apiKey: string;
  let operator: StaffToken;
  let streetA: StaffToken;

  beforeAll(async () => {
    env = await createTestEnvironment('service targets', { HEARTBEAT_EVERY_MS: '60000' });
    const clock = new ManualClock(new Date(TEST_CLOCK_START));
    worker = await createWorker(env.config, { clock });
    gateway = await createGateway(env.config, { clock });
    base = await listen(gateway);
    travel = await TimeTravel.start(env, worker, clock);
    ({ apiKey } = await givenPortal(env, { items: ['BPS-056', 'BPS-064'] }));
    ({ streetA } = await tianshanReviewers(env.env));
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

  async function submit(itemCode: string): Promise<string> {
    const materials = getServiceItem(itemCode).requiredMaterials.map(({ material }, i) => ({
      type: material,
      fileName: `${material}.pdf`,
      sha256: '0123456789abcdef'[i % 16]!.repeat(64),
      reference: `oss://portal/${material}`,
    }));
    const template = minimumLivingApplication();
    const body = {
      ...template,
      itemCode,
      materials: materials.length ? materials : template.materials,
      ...(getServiceItem(itemCode).requiredMaterials.some((m) => m.material === 'bank-account')
        ? { bankAccount: { bankName: '新疆银行', accountHolder: '张三', accountNumber: '6222020200112233445' } }
        : {}),
    };
    const answer = await getJson(`${base}/v1/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
    expect([answer.status, answer.body.errors]).toEqual([202, undefined]);
    await travel.settle();
    return answer.body.caseId as string;
  }

  const clockOf = async (caseId: string, name: string) =>
    (await api(`/v1/staff/cases/${caseId}/clocks`, operator)).body.clocks.find(
      (c: { clock: string }) => c.clock === name,
    );
  /** The SLA events (reminder, breach, target missed, escalation) of one clock of a case, in order. */
  const slaEventsOf = async (caseId: string, clock: string) =>
    (
      await env.db.query<{ type: string }>(
        `SELECT type FROM case_events WHERE case_id = $1 AND type LIKE 'SLA%' AND payload->>'clock' = $2 ORDER BY seq`,
        [caseId, clock],
      )
    ).rows.map((e) => e.type);
  const escalationTasks = async (caseId: string) =>
    (
      await env.db.query<{ step: string }>(
        `SELECT step FROM tasks WHERE case_id = $1 AND kind = 'escalation' ORDER BY step`,
        [caseId],
      )
    ).rows.map((r) => r.step);
  const boardStep = async (caseId: string, clock: string) =>
    (await api('/v1/ops/sla?limit=200', operator)).body.steps.find(
      (s: { caseId: string; clock: string }) => s.caseId === caseId && s.clock === clock,
    );

  it('keeps the basis with each clock: assumed limits are targets, the law’s limits statutory', async () => {
    const target = await submit('BPS-056');
    const street = await clockOf(target, 'street-review');
    expect(street).toMatchObject({
      basis: 'target',
      limit: { amount: ASSUMED_LIMITS.streetReview.amount, evidence: 'G' },
    });

    const statutory = await submit('BPS-064');
    const inbox = await api(`/v1/tasks?step=acceptance&limit=200`, streetA);
    const task = inbox.body.items.find((t: { caseId: string }) => t.caseId === statutory);
    const decided = await api(`/v1/tasks/${task.id}/decision`, streetA, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'approve' }),
    });
    expect(decided.status).toBe(202);
    await travel.settle();
    const overall = await clockOf(statutory, 'overall');
    expect(overall).toMatchObject({ basis: 'statutory', limit: { amount: 30, evidence: 'R' } });
  });

  it('reminds and shows a missed target as late, with no escalation and no breach told to the machine', async () => {
    const caseId = await submit('BPS-056');
    const street = await clockOf(caseId, 'street-review');
    expect(street.basis).toBe('target');

    await travel.advanceTo(new Date(new Date(street.dueAt).getTime() - 1));
    expect(await slaEventsOf(caseId, 'street-review')).toEqual(['SLA_REMINDER']);
    expect(await boardStep(caseId, 'street-review')).toMatchObject({ state: 'at-risk', basis: 'target' });

    await travel.advanceTo(new Date(street.dueAt));
    expect((await clockOf(caseId, 'street-review')).state).toBe('late');
    expect(await slaEventsOf(caseId, 'street-review')).toEqual(['SLA_REMINDER', 'SLA_TARGET_MISSED']);
    expect(await boardStep(caseId, 'street-review')).toMatchObject({ state: 'late', basis: 'target' });
    expect(await escalationTasks(caseId)).toEqual([]);

    // Past the instant a statutory breach would go one level further up: still nothing escalated.
    const escalateAt = endOfDayInShanghai(addWorkingDays(officialCalendarSet(), 'xinjiang', street.due, 2));
    await travel.advanceTo(escalateAt);
    expect(await slaEventsOf(caseId, 'street-review')).toEqual(['SLA_REMINDER', 'SLA_TARGET_MISSED']);
    expect(await escalationTasks(caseId)).toEqual([]);
    const commands = await env.db.query<{ type: string }>(
      `SELECT payload->'event'->>'type' AS type FROM outbox WHERE case_id = $1 AND kind = 'case.command'`,
      [caseId],
    );
    expect(commands.rows.map((c) => c.type)).not.toContain('CLOCK_BREACHED');
    const clock = await clockOf(caseId, 'street-review');
    expect(clock).toMatchObject({ state: 'late', escalatedAt: null });
    // Nothing is left to fire, so the clock is not reported as missing its timer.
    const stuck = await api('/v1/ops/cases/stuck?olderThanSeconds=0&limit=500', operator);
    expect(stuck.status).toBe(200);
    expect(stuck.body.items.filter((s: { caseId: string }) => s.caseId === caseId)).toEqual([]);
  });
});
