import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { sendWebhook } from '../../../apps/worker/src/webhooks/webhook-sender.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { givenPortal, minimumLivingApplication, post } from '../intake/intake-fixtures.js';
import { eventually } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, tianshanReviewers, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { Receiver, signedWith } from '../../support/webhook-receiver.js';

describe('portal webhooks (signed, ordered per case, at least once)', () => {
  let env: TestEnvironment;
  let gateway: NestFastifyApplication;
  let strictGateway: NestFastifyApplication;
  let worker: INestApplicationContext;
  let base: string;
  let strictBase: string;
  let portal: { portalId: string; apiKey: string };
  let otherPortal: { portalId: string; apiKey: string };
  let reviewers: Awaited<ReturnType<typeof tianshanReviewers>>;
  const receiver = new Receiver();

  beforeAll(async () => {
    env = await createTestEnvironment('webhooks', {
      HEARTBEAT_EVERY_MS: '60000',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      // Short backoff, so a receiver that is away for a moment is retried within the test.
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_DELAY_MS: '400',
      WEBHOOK_TIMEOUT_MS: '3000',
      // A delivery still failing 5 s after its first attempt is dead-lettered (24 h in production).
      WEBHOOK_GIVE_UP_AFTER_MS: '5000',
    });
    worker = await createWorker(env.config);
    gateway = await createGateway(env.config);
    base = await listen(gateway);
    // The production rule: no private targets.
    strictGateway = await createGateway(env.configWith({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' }));
    strictBase = await listen(strictGateway);
    portal = await givenPortal(env);
    otherPortal = await givenPortal(env);
    reviewers = await tianshanReviewers(env.env);
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await strictGateway?.close();
    await gateway?.close();
    await worker?.close();
    await env?.teardown();
  });

  const api = (path: string, apiKey: string, init: RequestInit = {}) =>
    getJson(`${base}${path}`, {
      ...init,
      headers: {
        'x-api-key': apiKey,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.headers ?? {}),
      },
    });
  const openTaskId = (caseId: string, step: string) =>
    eventually(async () => {
      const { rows } = await env.db.query(
        `SELECT id FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL`,
        [caseId, step],
      );
      return rows[0]?.id as string | undefined;
    });
  const decide = async (who: StaffToken, taskId: string, body: unknown) => {
    const answer = await getJson(`${base}/v1/tasks/${taskId}/decision`, {
      method: 'POST',
      headers: { ...who.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(answer.status).toBe(202);
  };
  const deliveries = async (caseId: string) =>
    (
      await env.db.query(
        `SELECT id, message_id, event_type, status, attempts FROM webhook_deliveries
         WHERE case_id = $1 AND replay_of IS NULL ORDER BY id`,
        [caseId],
      )
    ).rows as { id: string; message_id: string; event_type: string; status: string; attempts: number }[];
  const receivedFor = (caseId: string) =>
    receiver.received.filter((m) => (JSON.parse(m.body) as { data: { caseId: string } }).data.caseId === caseId);

  it('refuses private, loopback, link-local and metadata targets, and http, unless the development setting allows them', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hooks',
      'https://127.0.0.1/hooks',
      'https://10.1.2.3/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://[fd00:ec2::254]/',
      'https://100.64.0.1/',
      'https://[::1]/',
      'https://0.0.0.0/',
      'https://localhost/hooks',
    ]) {
      const refused = await getJson(`${strictBase}/v1/portal/webhooks`, {
        method: 'POST',
        headers: { 'x-api-key': portal.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ url, events: ['case.closed'] }),
      });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'url', code: 'TARGET_REFUSED' })]);
    }
    expect((await env.db.query(`SELECT count(*)::int AS n FROM webhook_endpoints`)).rows[0].n).toBe(0);

    // At delivery time too: a literal loopback address, and a name that resolves to one, are not connected to.
    const before = receiver.received.length;
    const literal = await sendWebhook({
      url: receiver.url,
      headers: {},
      body: '{}',
      timeoutMs: 2000,
      allowPrivate: false,
    });
    expect(literal).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/^refused/) });
    const named = await sendWebhook({
      url: `https://localhost:${receiver.port}/hooks`,
      headers: {},
      body: '{}',
      timeoutMs: 2000,
      allowPrivate: false,
    });
    expect(named).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/^refused/) });
    expect(receiver.received.length).toBe(before);
    // With the development setting, the same receiver is reached.
    const allowed = await sendWebhook({
      url: receiver.url,
      headers: {},
      body: '{}',
      timeoutMs: 2000,
      allowPrivate: true,
    });
    expect(allowed).toEqual({ ok: true, statusCode: 204, error: null });
    expect(receiver.received.length).toBe(before + 1);
    receiver.received.splice(before, 1);
  });

  it('delivers every event of a case to closure, signed, in order, through a receiver outage and a secret rotation', async () => {
    const registered = await api('/v1/portal/webhooks', portal.apiKey, {
      method: 'POST',
      body: JSON.stringify({
        url: receiver.url,
        events: [
          'case.accepted',
          'case.supplement_requested',
          'case.decision_made',
          'case.objection_window_opened',
          'case.closed',
          'case.satisfaction_invited',
        ],
      }),
    });
    expect(registered.status).toBe(201);
    const endpointId = registered.body.id as string;
    const firstSecret = registered.body.secret as string;
    expect(firstSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    // Listed without the secret; another portal sees none of it.
    const listed = await api('/v1/portal/webhooks', portal.apiKey);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: endpointId, url: receiver.url })]);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    expect((await api('/v1/portal/webhooks', otherPortal.apiKey)).body.items).toEqual([]);
    expect((await api(`/v1/portal/webhooks/${endpointId}/deliveries`, otherPortal.apiKey)).status).toBe(404);

    const submitted = await post(base, '/v1/applications', portal.apiKey, minimumLivingApplication(), randomUUID());
    expect(submitted.status).toBe(202);
    const caseId = submitted.body.caseId as string;

    await decide(reviewers.streetA, await openTaskId(caseId, 'acceptance'), { outcome: 'approve' });
    await decide(reviewers.streetB, await openTaskId(caseId, 'investigation'), {
      outcome: 'approve',
      findings: { homeVisitDate: '2026-05-28', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 25_000 },
    });
    await decide(reviewers.streetC, await openTaskId(caseId, 'street-review'), { outcome: 'approve' });
    await eventually(
      async () =>
        (await env.db.query(`SELECT status FROM cases WHERE id = $1`, [caseId])).rows[0].status === 'public-notice',
    );
    await eventually(async () => {
      const rows = await deliveries(caseId);
      return rows.length > 0 && rows.every((row) => row.status === 'delivered') && rows;
    });
    const beforeOutage = (await deliveries(caseId)).map((row) => row.event_type);
    expect(beforeOutage[0]).toBe('case.accepted');
    expect(beforeOutage).toContain('case.objection_window_opened');
    for (const message of receivedFor(caseId)) expect(signedWith(firstSecret, message)).toBe(true);

    // Rotate: the new secret is shown once; during the overlap both sign.
    const rotated = await api(`/v1/portal/webhooks/${endpointId}/secret-rotation`, portal.apiKey, { method: 'POST' });
    expect(rotated.status).toBe(201);
    const secondSecret = rotated.body.secret as string;
    expect(secondSecret).not.toBe(firstSecret);
    expect(rotated.body.previousSecretUntil).toEqual(expect.any(String));

    // The receiver goes away; the portal withdraws the application meanwhile; the case closes.
    await receiver.stop();
    const withdrawn = await post(
      base,
      `/v1/cases/${caseId}/withdrawal`,
      portal.apiKey,
      { reason: 'applicant-request' },
      randomUUID(),
    );
    expect(withdrawn.status).toBe(202);
    // Attempts fail while it is away (logged), and the later events of the case wait behind the first.
    await eventually(async () => {
      const { rows } = await env.db.query(
        `SELECT count(*)::int AS n FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
         WHERE d.case_id = $1 AND a.error IS NOT NULL`,
        [caseId],
      );
      return rows[0].n >= 2;
    });
    const during = await deliveries(caseId);
    const undelivered = during.filter((row) => row.status !== 'delivered');
    expect(undelivered.map((row) => row.event_type)).toEqual(['case.closed', 'case.satisfaction_invited']);
    expect(undelivered[0]!.status).toBe('pending');
    expect(undelivered[1]!.status).toMatch(/^(pending|waiting)$/);
    expect(undelivered[1]!.attempts).toBe(0);

    // Back again: everything arrives, nothing lost.
    await receiver.start();
    await eventually(async () => (await deliveries(caseId)).every((row) => row.status === 'delivered'));

    const all = await deliveries(caseId);
    const received = receivedFor(caseId);
    // Each delivery arrived (at least once), in the order of the case's steps.
    const firstArrival = [...new Map(received.map((m) => [String(m.headers['webhook-id']), m])).keys()];
    expect(firstArrival).toEqual(all.map((row) => row.message_id));
    expect(all.slice(-2).map((row) => row.event_type)).toEqual(['case.closed', 'case.satisfaction_invited']);

    // Every message verifies; those signed during the overlap verify with the old secret and with the new one.
    const afterRotation = received.filter((m) =>
      ['case.closed', 'case.satisfaction_invited'].includes(JSON.parse(m.body).type),
    );
    expect(afterRotation.length).toBeGreaterThanOrEqual(2);
    for (const message of afterRotation) {
      expect(signedWith(firstSecret, message)).toBe(true);
      expect(signedWith(secondSecret, message)).toBe(true);
      expect(String(message.headers['webhook-signature']).split(' ')).toHaveLength(2);
    }
    for (const message of received) {
      // The timestamp is the business clock's (the test's clock starts in 2026), not the machine's.
      const stamp = Number(message.headers['webhook-timestamp']);
      expect(Math.abs(stamp - env.clock.now().getTime() / 1000)).toBeLessThan(600);
      // Ids and codes only: no name, no ID number.
      const body = JSON.parse(message.body);
      expect(body.data).toMatchObject({ caseId, itemCode: 'BPS-064' });
      expect(message.body).not.toMatch(/\d{17}[\dX]/);
    }
    const closed = received.find((m) => JSON.parse(m.body).type === 'case.closed')!;
    expect(JSON.parse(closed.body).data).toMatchObject({ outcome: 'withdrawn' });

    // The delivery log: every attempt, with status code or error; keyset paged.
    const page1 = await api(`/v1/portal/webhooks/${endpointId}/deliveries?limit=2`, portal.apiKey);
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    const closedLog = page1.body.items.find((d: { type: string }) => d.type === 'case.closed');
    expect(closedLog.attemptLog.length).toBeGreaterThanOrEqual(2);
    expect(closedLog.attemptLog[0]).toMatchObject({ attempt: 1, statusCode: null, error: expect.any(String) });
    expect(closedLog.attemptLog.at(-1)).toMatchObject({ statusCode: 204, error: null });
    const page2 = await api(
      `/v1/portal/webhooks/${endpointId}/deliveries?limit=50&before=${page1.body.nextCursor}`,
      portal.apiKey,
    );
    expect(page2.body.items.map((d: { id: string }) => d.id)).toEqual(
      all
        .slice(0, -2)
        .map((row) => row.id)
        .reverse(),
    );

    // Operators see the portal's backlog (nothing left) and the failures of the outage.
    const operator = await staffToken(env.env, 'operator-o', { roles: ['operator'] });
    const ops = await getJson(`${base}/v1/ops/webhooks`, { headers: operator.headers });
    expect(ops.status).toBe(200);
    expect(ops.body.items).toEqual([
      expect.objectContaining({ portalId: portal.portalId, pending: 0, waiting: 0, dead: 0, endpoints: 1 }),
    ]);
    expect(ops.body.items[0].failedAttempts24h).toBeGreaterThanOrEqual(2);

    // Replay one delivery: the same message (same webhook-id) again.
    const count = receiver.received.length;
    const replayed = await api(`/v1/portal/webhooks/${endpointId}/deliveries/${closedLog.id}/replay`, portal.apiKey, {
      method: 'POST',
    });
    expect(replayed.status).toBe(202);
    await eventually(async () => receiver.received.length > count);
    expect(receiver.received.at(-1)!.headers['webhook-id']).toBe(closedLog.messageId);
    expect(
      (await api(`/v1/portal/webhooks/${endpointId}/deliveries/999999/replay`, portal.apiKey, { method: 'POST' }))
        .status,
    ).toBe(404);

    // Deleted: gone from the list, and another portal could not have deleted it.
    expect((await api(`/v1/portal/webhooks/${endpointId}`, otherPortal.apiKey, { method: 'DELETE' })).status).toBe(404);
    expect((await api(`/v1/portal/webhooks/${endpointId}`, portal.apiKey, { method: 'DELETE' })).status).toBe(204);
    expect((await api('/v1/portal/webhooks', portal.apiKey)).body.items).toEqual([]);
  });

  it('dead-letters a delivery that keeps failing, and a time-range replay sends it again once the receiver is back', async () => {
    const late = new Receiver();
    await late.start();
    await late.stop(); // its port now refuses connections
    const thirdPortal = await givenPortal(env);
    const registered = await api('/v1/portal/webhooks', thirdPortal.apiKey, {
      method: 'POST',
      body: JSON.stringify({ url: late.url, events: ['case.accepted'] }),
    });
    expect(registered.status).toBe(201);
    const endpointId = registered.body.id as string;
    const from = env.clock.now().toISOString();
    const submitted = await post(
      base,
      '/v1/applications',
      thirdPortal.apiKey,
      minimumLivingApplication(),
      randomUUID(),
    );
    const caseId = submitted.body.caseId as string;
    await decide(reviewers.streetA, await openTaskId(caseId, 'acceptance'), { outcome: 'approve' });

    const [dead] = await eventually(async () => {
      const rows = await deliveries(caseId);
      return rows.length === 1 && rows[0]!.status === 'dead' && rows;
    }, 30_000);
    expect(dead!.attempts).toBeGreaterThanOrEqual(3);
    const ops = await getJson(`${base}/v1/ops/webhooks`, {
      headers: (await staffToken(env.env, 'operator-o', { roles: ['operator'] })).headers,
    });
    expect(ops.body.items).toContainEqual(
      expect.objectContaining({ portalId: thirdPortal.portalId, dead: 1, pending: 0, waiting: 0 }),
    );

    await late.start();
    const replayed = await api(`/v1/portal/webhooks/${endpointId}/replays`, thirdPortal.apiKey, {
      method: 'POST',
      body: JSON.stringify({ from, to: new Date(env.clock.now().getTime() + 60_000).toISOString() }),
    });
    expect(replayed.status).toBe(202);
    expect(replayed.body.deliveries).toHaveLength(1);
    await eventually(async () => late.received.length === 1);
    expect(late.received[0]!.headers['webhook-id']).toBe(dead!.message_id);
    expect(signedWith(registered.body.secret as string, late.received[0]!)).toBe(true);
    await late.stop();

    // A range that is not one is refused, naming the field.
    const backwards = await api(`/v1/portal/webhooks/${endpointId}/replays`, thirdPortal.apiKey, {
      method: 'POST',
      body: JSON.stringify({ from, to: from }),
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
  });
});
