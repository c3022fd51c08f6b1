import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { eventually, given } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { tianshanReviewers, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

/**
 * The reviewers' path in round trips (bench/profiles/engine.md): a claim is one statement, a decision
 * three (`BEGIN` with the locks and the prior decisions, the writes, `COMMIT`), whatever the answer. Counted on the
 * gateway's own connections, so the in-process worker's statements do not count; one more statement fails here.
 */
describe('reviewer path: statements per claim and per decision', () => {
  let env: TestEnvironment;
  let gateway: NestFastifyApplication;
  let worker: INestApplicationContext;
  let base: string;
  let the: ReturnType<typeof given>;
  let reviewers: Awaited<ReturnType<typeof tianshanReviewers>>;

  beforeAll(async () => {
    env = await createTestEnvironment('reviewer-statements', { HEARTBEAT_EVERY_MS: '60000' });
    the = given(env.db, env.clock);
    worker = await createWorker(env.config);
    gateway = await createGateway(env.config);
    base = await listen(gateway);
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
        `SELECT id FROM tasks WHERE case_id = $1 AND step = $2 AND closed_at IS NULL AND status = 'open'`,
        [caseId, step],
      );
      return rows[0]?.id as string | undefined;
    });

  /** The statements the gateway's connections send while `path` is requested, and the answer. */
  async function counted(who: StaffToken, path: string, body?: unknown) {
    // The pg module TypeORM loaded for the gateway, and the gateway's pool: only its clients are counted.
    const driver = gateway.get(DataSource).driver as unknown as {
      postgres: { Client: { prototype: { query: (...args: unknown[]) => unknown } } };
      master: { _clients: unknown[] };
    };
    const proto = driver.postgres.Client.prototype;
    const original = proto.query;
    const statements: string[] = [];
    proto.query = function (this: unknown, ...args: unknown[]) {
      if (driver.master._clients.includes(this)) {
        const config = args[0] as string | { text: string };
        statements.push(typeof config === 'string' ? config : config.text);
      }
      return original.apply(this, args);
    };
    try {
      const answer = await getJson(`${base}${path}`, {
        method: 'POST',
        headers: body === undefined ? who.headers : { ...who.headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { answer, statements };
    } finally {
      proto.query = original;
    }
  }

  it('claims in one statement, with every refusal in that statement too', async () => {
    const { caseId } = await the.submittedCase({ facts: { householdSize: 2, relativeOfStaff: ['street-c'] } });
    const acceptance = await openTaskId(caseId, 'acceptance');

    const notMine = await counted(reviewers.district, `/v1/tasks/${acceptance}/claim`);
    expect([notMine.answer.status, notMine.answer.body.code]).toEqual([404, 'TASK.NOT_FOUND']);
    expect(notMine.statements).toHaveLength(1);

    const relative = await counted(reviewers.streetC, `/v1/tasks/${acceptance}/claim`);
    expect([relative.answer.status, relative.answer.body.code]).toEqual([403, 'TASK.SEPARATION_OF_DUTIES']);
    expect(relative.statements).toHaveLength(1);

    const claim = await counted(reviewers.streetA, `/v1/tasks/${acceptance}/claim`);
    expect(claim.answer.status).toBe(200);
    expect(claim.statements).toHaveLength(1);

    const taken = await counted(reviewers.streetB, `/v1/tasks/${acceptance}/claim`);
    expect([taken.answer.status, taken.answer.body.code]).toEqual([409, 'TASK.CLAIMED_BY_ANOTHER']);
    expect(taken.statements).toHaveLength(1);

    const decision = await counted(reviewers.streetA, `/v1/tasks/${acceptance}/decision`, { outcome: 'approve' });
    expect(decision.answer.status).toBe(202);
    expect(decision.statements).toHaveLength(3);

    const pending = await counted(reviewers.streetA, `/v1/tasks/${acceptance}/claim`);
    expect([pending.answer.status, pending.answer.body.code]).toEqual([409, 'TASK.DECISION_PENDING']);
    expect(pending.statements).toHaveLength(1);
  });

  it('starts a step once, however often its claimant claims it', async () => {
    const { caseId } = await the.submittedCase({ facts: { householdSize: 2 } });
    const acceptance = await openTaskId(caseId, 'acceptance');
    expect(
      (await counted(reviewers.streetA, `/v1/tasks/${acceptance}/decision`, { outcome: 'approve' })).answer.status,
    ).toBe(202);
    const investigation = await openTaskId(caseId, 'investigation');
    const first = await counted(reviewers.streetB, `/v1/tasks/${investigation}/claim`);
    expect(first.answer.status).toBe(200);
    // The claim, then the start in a transaction of its own: BEGIN, case lock, machine read, events, COMMIT.
    expect(first.statements).toHaveLength(6);
    expect((await counted(reviewers.streetB, `/v1/tasks/${investigation}/claim`)).answer.status).toBe(200);
    const { rows } = await env.db.query(
      `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'STEP_START_REQUESTED'`,
      [caseId],
    );
    expect(rows[0].n).toBe(1);
  });
});
