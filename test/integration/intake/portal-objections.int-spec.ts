import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { eventually } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { tianshanReviewers, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenPortal, minimumLivingApplication, post } from './intake-fixtures.js';

describe('POST /v1/cases/{id}/objections (a portal files a resident’s objection during the public notice)', () => {
  let env: TestEnvironment;
  let gateway: NestFastifyApplication;
  let worker: INestApplicationContext;
  let base: string;
  let portal: { portalId: string; apiKey: string };
  let otherPortal: { portalId: string; apiKey: string };
  let reviewers: Awaited<ReturnType<typeof tianshanReviewers>>;

  beforeAll(async () => {
    env = await createTestEnvironment('portal objections', { HEARTBEAT_EVERY_MS: '60000' });
    worker = await createWorker(env.config);
    gateway = await createGateway(env.config);
    base = await listen(gateway);
    portal = await givenPortal(env);
    otherPortal = await givenPortal(env);
    reviewers = await tianshanReviewers(env.env);
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
  const decide = async (who: StaffToken, taskId: string, body: unknown) => {
    const answer = await getJson(`${base}/v1/tasks/${taskId}/decision`, {
      method: 'POST',
      headers: { ...who.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(answer.status).toBe(202);
  };
  const object = (caseId: string, body: unknown, key: string, apiKey = portal.apiKey) =>
    post(base, `/v1/cases/${caseId}/objections`, apiKey, body, key);
  const counts = async (caseId: string) => {
    const { rows } = await env.db.query(
      `SELECT (SELECT count(*) FROM case_events WHERE case_id = $1 AND type = 'OBJECTION_RECEIVED')::int AS events,
              (SELECT count(*) FROM outbox WHERE case_id = $1 AND payload->'event'->>'type' = 'OBJECTION_FILED')::int
                AS outbox`,
      [caseId],
    );
    return rows[0] as { events: number; outbox: number };
  };

  it('is refused outside the notice, accepted during it, opens the objection review, and replays', async () => {
    const submitted = await post(base, '/v1/applications', portal.apiKey, minimumLivingApplication(), randomUUID());
    expect(submitted.status).toBe(202);
    const caseId = submitted.body.caseId as string;

    const acceptance = await openTaskId(caseId, 'acceptance');
    // In review, not yet in the notice: refused like the staff route, nothing written, the key released.
    const early = await object(caseId, { reason: 'assets-undisclosed' }, 'early-key');
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'CASE.WRONG_STATUS', caseStatus: 'in-review' });
    expect(await counts(caseId)).toEqual({ events: 0, outbox: 0 });

    await decide(reviewers.streetA, acceptance, { outcome: 'approve' });
    await decide(reviewers.streetB, await openTaskId(caseId, 'investigation'), {
      outcome: 'approve',
      findings: { homeVisitDate: '2026-11-20', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 25_000 },
    });
    await decide(reviewers.streetC, await openTaskId(caseId, 'street-review'), { outcome: 'approve' });
    await eventually(
      async () =>
        (await env.db.query(`SELECT status FROM cases WHERE id = $1`, [caseId])).rows[0].status === 'public-notice',
    );

    // Unknown fields and free text are refused: only a reason code enters the case.
    const freeText = await object(caseId, { reason: 'assets-undisclosed', summary: '邻居张三说他有车' }, randomUUID());
    expect(freeText.status).toBe(400);
    const badCode = await object(caseId, { reason: 'he has a car' }, randomUUID());
    expect(badCode.status).toBe(400);

    // Another portal: 404, as if the case did not exist, and nothing written.
    const foreign = await object(caseId, { reason: 'assets-undisclosed' }, 'key-1', otherPortal.apiKey);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('CASE.NOT_FOUND');
    expect(await counts(caseId)).toEqual({ events: 0, outbox: 0 });

    const filed = await object(caseId, { reason: 'assets-undisclosed' }, 'key-1');
    expect(filed.status).toBe(202);
    expect(filed.body).toMatchObject({ caseId, accepted: 'OBJECTION_FILED' });
    expect(filed.headers.get('idempotent-replayed')).toBeNull();

    const { rows: events } = await env.db.query(
      `SELECT actor, payload FROM case_events WHERE case_id = $1 AND type = 'OBJECTION_RECEIVED'`,
      [caseId],
    );
    expect(events).toEqual([
      { actor: `portal:${portal.portalId}`, payload: { reason: 'assets-undisclosed', channel: 'portal' } },
    ]);
    const { rows: outbox } = await env.db.query(
      `SELECT payload FROM outbox WHERE case_id = $1 AND kind = 'case.command' AND payload->'event'->>'type' = 'OBJECTION_FILED'`,
      [caseId],
    );
    expect(outbox).toHaveLength(1);
    expect(outbox[0].payload).toMatchObject({
      caseId,
      commandId: filed.body.commandId,
      actor: `portal:${portal.portalId}`,
      event: { type: 'OBJECTION_FILED', actor: `portal:${portal.portalId}`, summary: 'assets-undisclosed' },
    });

    // The engine applies it: an objection review opens at the street office.
    const objectionTask = await openTaskId(caseId, 'objection-review');
    expect(objectionTask).toEqual(expect.any(String));

    // Same key, same body: the first answer again, nothing new written.
    const replay = await object(caseId, { reason: 'assets-undisclosed' }, 'key-1');
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual(filed.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    // Same key, another body: refused.
    expect((await object(caseId, { reason: 'other' }, 'key-1')).status).toBe(422);
    expect(await counts(caseId)).toEqual({ events: 1, outbox: 1 });

    // The portal's own timeline shows the objection with its reason code.
    const timeline = await getJson(`${base}/v1/cases/${caseId}/events`, { headers: { 'x-api-key': portal.apiKey } });
    expect(timeline.status).toBe(200);
    expect(JSON.stringify(timeline.body)).toContain('OBJECTION_RECEIVED');
  });
});
