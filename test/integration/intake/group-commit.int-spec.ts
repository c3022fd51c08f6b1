import { randomUUID } from 'node:crypto';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import type pg from 'pg';
import { IDEMPOTENCY_LOCK_CLASS, PII_PURPOSE } from '../../../apps/gateway/src/applications/submit-application.js';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { PiiCipher, type StoredEventRow, verifyChain } from '../../../libs/infra/src/index.js';
import { eventually } from '../../support/given.js';
import { listen } from '../../support/http.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenPortal, minimumLivingApplication, nextIdNumber, post, rowCounts } from './intake-fixtures.js';

/** Applications per statement in this file; the wait bound is long, so a batch here is sent when it is full. */
const BATCH = 12;

type Answer = Awaited<ReturnType<typeof post>>;

/**
 * Intake group commit (docs/architecture.md "Intake group commit"): applications that arrive while an intake
 * statement runs are written together, one statement and one commit, each with its own answer.
 */
describe('intake group commit', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;
  let portal: { portalId: string; apiKey: string };
  let cipher: PiiCipher;
  const submit = (body: unknown, key: string = randomUUID(), to = base) =>
    post(to, '/v1/applications', portal.apiKey, body, key);

  beforeAll(async () => {
    env = await createTestEnvironment('intake group commit', {
      INTAKE_BATCH_SIZE: String(BATCH),
      INTAKE_BATCH_WAIT_MS: '60000',
    });
    app = await createGateway(env.config);
    base = await listen(app);
    portal = await givenPortal(env);
    cipher = new PiiCipher(env.config.pii.encryptionKey, env.config.pii.hashKey);
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  /** Resolves once some backend waits for a lock the backend `pid` holds. */
  const someoneWaitsOn = (pid: number) =>
    eventually(async () => {
      const { rows } = await env.db.query(`SELECT 1 FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))`, [
        pid,
      ]);
      return rows.length > 0;
    });

  /**
   * Runs `work` while an intake statement is running: a pilot application waits on an uncommitted applicant row of
   * the same person (held by `blocker`), so what `work` sends gathers into the next batch. The pilot is written
   * once that row is rolled back.
   */
  async function whileAStatementRuns<T>(
    work: (blocker: pg.PoolClient, pilot: { settled: boolean }) => Promise<T>,
    to = base,
  ): Promise<T> {
    const pilotId = nextIdNumber();
    const blocker = await env.db.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        `INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted)
         VALUES ($1, 'placeholder', 'placeholder')`,
        [cipher.lookupHash(pilotId, PII_PURPOSE.idNumber)],
      );
      const { rows } = await blocker.query(`SELECT pg_backend_pid() AS pid`);
      const state = { settled: false };
      const pilot = submit(minimumLivingApplication(pilotId), randomUUID(), to).finally(() => (state.settled = true));
      await someoneWaitsOn(rows[0].pid);
      const result = await work(blocker, state);
      expect(state.settled).toBe(false);
      await blocker.query('ROLLBACK');
      expect((await pilot).status).toBe(202);
      return result;
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
  }

  /** The ids of the transactions that wrote these cases, their applicants, first events, outbox rows and keys. */
  async function writers(caseIds: readonly string[]): Promise<{ rows: number; transactions: Set<string> }> {
    const { rows } = await env.db.query(
      `SELECT xmin::text AS tx FROM cases WHERE id = ANY($1::uuid[])
       UNION ALL SELECT a.xmin::text FROM applicants a JOIN cases c ON c.applicant_id = a.id WHERE c.id = ANY($1::uuid[])
       UNION ALL SELECT xmin::text FROM case_events WHERE case_id = ANY($1::uuid[])
       UNION ALL SELECT xmin::text FROM outbox WHERE case_id = ANY($1::uuid[])
       UNION ALL SELECT xmin::text FROM idempotency_keys WHERE case_id = ANY($1::uuid[])`,
      [caseIds],
    );
    return { rows: rows.length, transactions: new Set(rows.map((r: { tx: string }) => r.tx)) };
  }

  /** Each case's event chain verifies, and the case's chain head is its last event. */
  async function expectChainsVerify(caseIds: readonly string[]): Promise<void> {
    for (const caseId of caseIds) {
      const { rows } = await env.db.query<StoredEventRow>(
        `SELECT case_id, seq, id, type, actor, payload, occurred_at, prev_hash, hash
           FROM case_events WHERE case_id = $1 ORDER BY seq`,
        [caseId],
      );
      expect(verifyChain(rows)).toEqual({ ok: true, events: 1 });
      const { rows: head } = await env.db.query(`SELECT last_event_seq, last_event_hash FROM cases WHERE id = $1`, [
        caseId,
      ]);
      expect(head[0]).toEqual({ last_event_seq: 1, last_event_hash: rows[0]!.hash });
    }
  }

  const expectAccepted = (answer: Answer, body: { portalReference: string }) => {
    expect(answer.status).toBe(202);
    expect(answer.body.portalReference).toBe(body.portalReference);
    expect(answer.headers.get('idempotent-replayed')).toBeNull();
  };

  it('writes applications that arrive together in one statement and one commit, each with its own answer', async () => {
    const bodies = Array.from({ length: BATCH }, () => minimumLivingApplication());
    const keys = bodies.map(() => randomUUID());
    const before = await rowCounts(env);
    const answers = await whileAStatementRuns(() => Promise.all(bodies.map((body, i) => submit(body, keys[i]))));

    answers.forEach((answer, i) => expectAccepted(answer, bodies[i]!));
    const caseIds = answers.map((a) => a.body.caseId as string);
    expect(new Set(caseIds).size).toBe(BATCH);
    // The pilot and the batch: BATCH + 1 applications.
    const opened = BATCH + 1;
    expect(await rowCounts(env)).toEqual({
      cases: before.cases + opened,
      applicants: before.applicants + opened,
      events: before.events + opened,
      outbox: before.outbox + opened,
      idempotency: before.idempotency + opened,
    });
    // PostgreSQL stamps each row with the transaction that wrote it: every row of the batch, one commit.
    const written = await writers(caseIds);
    expect(written.rows).toBe(5 * BATCH);
    expect(written.transactions.size).toBe(1);
    // Each case is its own application: its reference, tracking number, command and stored answer.
    for (const [i, answer] of answers.entries()) {
      const { rows } = await env.db.query(
        `SELECT c.portal_reference, c.tracking_number, o.payload->>'caseId' AS command_case, k.response_body
           FROM cases c JOIN outbox o ON o.case_id = c.id JOIN idempotency_keys k ON k.case_id = c.id
          WHERE c.id = $1 AND k.key = $2`,
        [answer.body.caseId, keys[i]],
      );
      expect(rows).toEqual([
        {
          portal_reference: bodies[i]!.portalReference,
          tracking_number: answer.body.trackingNumber,
          command_case: answer.body.caseId,
          response_body: answer.body,
        },
      ]);
    }
    await expectChainsVerify(caseIds);
  });

  it('sends a lone application at once, not after the wait bound', async () => {
    // The bound here is 60 s; with no intake statement running, an application waits for no other.
    const started = performance.now();
    expect((await submit(minimumLivingApplication())).status).toBe(202);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('sends what gathered once the first of it has waited the bound, while the earlier statement still runs', async () => {
    const quick = await createGateway(env.configWith({ INTAKE_BATCH_SIZE: String(BATCH), INTAKE_BATCH_WAIT_MS: '50' }));
    try {
      const quickBase = await listen(quick);
      const body = minimumLivingApplication();
      // One application, far from a full batch, behind a statement that cannot finish until the pilot's row is
      // rolled back: it is answered first, so it was sent after the wait, not after the running statement.
      const answer = await whileAStatementRuns(() => submit(body, randomUUID(), quickBase), quickBase);
      expectAccepted(answer, body);
    } finally {
      await quick.close();
    }
  });

  it('answers each conflicting Idempotency-Key of a batch as a lone request would, and writes the others', async () => {
    const replayed = { key: randomUUID(), body: minimumLivingApplication() };
    const first = await submit(replayed.body, replayed.key);
    expect(first.status).toBe(202);
    const reusedKey = randomUUID();
    expect((await submit(minimumLivingApplication(), reusedKey)).status).toBe(202);
    const inProgressKey = randomUUID();
    const twin = { key: randomUUID(), body: minimumLivingApplication() };
    const fresh = Array.from({ length: BATCH - 5 }, () => minimumLivingApplication());
    const before = await rowCounts(env);

    const [again, reused, inProgress, twinA, twinB, ...others] = await whileAStatementRuns(async (blocker) => {
      // A request with this key is being written elsewhere: it holds the key's advisory lock (here the blocker does).
      await blocker.query(`SELECT pg_advisory_xact_lock($1::int, hashtext($2::text || '/' || $3::text))`, [
        IDEMPOTENCY_LOCK_CLASS,
        portal.portalId,
        inProgressKey,
      ]);
      return Promise.all([
        submit(replayed.body, replayed.key),
        submit(minimumLivingApplication(), reusedKey),
        submit(minimumLivingApplication(), inProgressKey),
        submit(twin.body, twin.key),
        submit(twin.body, twin.key),
        ...fresh.map((body) => submit(body)),
      ]);
    });

    expect(again!.status).toBe(202);
    expect(again!.headers.get('idempotent-replayed')).toBe('true');
    expect(again!.body).toEqual(first.body);
    expect(reused!.status).toBe(422);
    expect(reused!.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    expect(inProgress!.status).toBe(409);
    expect(inProgress!.body.code).toBe('IDEMPOTENCY.IN_PROGRESS');
    // Two requests with one key in one batch: one writes, the other meets it in progress.
    const twins = [twinA!, twinB!].sort((a, b) => a.status - b.status);
    expectAccepted(twins[0]!, twin.body);
    expect(twins[1]!.status).toBe(409);
    expect(twins[1]!.body.code).toBe('IDEMPOTENCY.IN_PROGRESS');
    others.forEach((answer, i) => expectAccepted(answer, fresh[i]!));

    const written = [twins[0]!, ...others].map((a) => a.body.caseId as string);
    expect((await writers(written)).transactions.size).toBe(1);
    const opened = written.length + 1; // and the pilot
    expect(await rowCounts(env)).toEqual({
      cases: before.cases + opened,
      applicants: before.applicants + opened,
      events: before.events + opened,
      outbox: before.outbox + opened,
      idempotency: before.idempotency + opened,
    });
    // Afterwards: the twin's key replays its case, and the key that was in progress is free.
    const twinAgain = await submit(twin.body, twin.key);
    expect(twinAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(twinAgain.body.caseId).toBe(twins[0]!.body.caseId);
    expect((await submit(minimumLivingApplication(), inProgressKey)).status).toBe(202);
  });

  it('writes the others when one application of the batch meets a case opened at the same moment', async () => {
    const loser = nextIdNumber();
    const loserHash = cipher.lookupHash(loser, PII_PURPOSE.idNumber);
    const bodies = [
      ...Array.from({ length: 5 }, () => minimumLivingApplication()),
      minimumLivingApplication(loser),
      ...Array.from({ length: BATCH - 6 }, () => minimumLivingApplication()),
    ];
    const before = await rowCounts(env);
    // Another writer (another gateway) opens a case for the same applicant and item and has not committed yet.
    const racer = await env.db.connect();
    let answers: Answer[] = [];
    try {
      await racer.query('BEGIN');
      await racer.query(
        `WITH a AS (INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted)
                    VALUES ($1, 'placeholder', 'placeholder') RETURNING id)
         INSERT INTO cases (tracking_number, item_code, procedure_id, machine_id, machine_version, status,
                            applicant_id, department_code, accepting_division, approving_division,
                            application_encrypted)
         SELECT 'RACE-' || $2, 'BPS-064', 'minimum-living', 'minimum-living', 1, 'submitted', a.id,
                'civil-affairs', '650102002', '650102', 'placeholder' FROM a`,
        [loserHash, randomUUID()],
      );
      const { rows } = await racer.query(`SELECT pg_backend_pid() AS pid`);
      answers = await whileAStatementRuns(async () => {
        const pending = Promise.all(bodies.map((body) => submit(body)));
        // The batch's statement has reached the loser's applicant row: let the racer win.
        await someoneWaitsOn(rows[0].pid);
        await racer.query('COMMIT');
        return pending;
      });
    } finally {
      await racer.query('ROLLBACK');
      racer.release();
    }

    const loserAnswer = answers[5]!;
    expect(loserAnswer.status).toBe(409);
    expect(loserAnswer.body).toMatchObject({ code: 'CASE.ALREADY_OPEN', openElsewhere: true });
    const winners = answers.filter((_, i) => i !== 5);
    winners.forEach((answer, i) => expectAccepted(answer, bodies.filter((_, j) => j !== 5)[i]!));
    const caseIds = winners.map((a) => a.body.caseId as string);
    // The statement that met the racer's case was undone and its batch written again in two halves: two commits
    // for the eleven, and nothing of the loser's, not even its name update.
    expect((await writers(caseIds)).transactions.size).toBe(2);
    const opened = winners.length + 1; // and the pilot
    expect(await rowCounts(env)).toEqual({
      cases: before.cases + opened + 1,
      applicants: before.applicants + opened + 1,
      events: before.events + opened,
      outbox: before.outbox + opened,
      idempotency: before.idempotency + opened,
    });
    const { rows: applicant } = await env.db.query(`SELECT name_encrypted FROM applicants WHERE id_number_hash = $1`, [
      loserHash,
    ]);
    expect(applicant).toEqual([{ name_encrypted: 'placeholder' }]);
    await expectChainsVerify(caseIds);
  });

  it('writes the others when one application of the batch meets its portal reference taken at the same moment', async () => {
    const contested = minimumLivingApplication();
    const bodies = [
      ...Array.from({ length: 7 }, () => minimumLivingApplication()),
      contested,
      ...Array.from({ length: BATCH - 8 }, () => minimumLivingApplication()),
    ];
    const before = await rowCounts(env);
    // Another writer opens a case of this portal under the same reference (another applicant) and has not
    // committed yet: the batch's case insert waits for it in the unique index, then fails (23505).
    const racer = await env.db.connect();
    let answers: Answer[] = [];
    try {
      await racer.query('BEGIN');
      await racer.query(
        `WITH a AS (INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted)
                    VALUES ($1, 'placeholder', 'placeholder') RETURNING id)
         INSERT INTO cases (tracking_number, item_code, procedure_id, machine_id, machine_version, status,
                            applicant_id, portal_id, portal_reference, department_code, accepting_division,
                            approving_division, application_encrypted)
         SELECT 'RACE-' || $2, 'BPS-064', 'minimum-living', 'minimum-living', 1, 'submitted', a.id, $3, $4,
                'civil-affairs', '650102002', '650102', 'placeholder' FROM a`,
        [
          cipher.lookupHash(nextIdNumber(), PII_PURPOSE.idNumber),
          randomUUID(),
          portal.portalId,
          contested.portalReference,
        ],
      );
      const { rows } = await racer.query(`SELECT pg_backend_pid() AS pid`);
      answers = await whileAStatementRuns(async () => {
        const pending = Promise.all(bodies.map((body) => submit(body)));
        await someoneWaitsOn(rows[0].pid);
        await racer.query('COMMIT');
        return pending;
      });
    } finally {
      await racer.query('ROLLBACK');
      racer.release();
    }

    expect(answers[7]!.status).toBe(409);
    expect(answers[7]!.body.code).toBe('CASE.PORTAL_REFERENCE_TAKEN');
    const others = answers.filter((_, i) => i !== 7);
    others.forEach((answer, i) => expectAccepted(answer, bodies.filter((_, j) => j !== 7)[i]!));
    const caseIds = others.map((a) => a.body.caseId as string);
    expect((await writers(caseIds)).transactions.size).toBe(2);
    const opened = others.length + 1; // and the pilot
    expect(await rowCounts(env)).toEqual({
      cases: before.cases + opened + 1,
      applicants: before.applicants + opened + 1,
      events: before.events + opened,
      outbox: before.outbox + opened,
      idempotency: before.idempotency + opened,
    });
    await expectChainsVerify(caseIds);
  });
});
