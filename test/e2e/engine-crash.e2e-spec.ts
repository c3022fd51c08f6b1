import { verifyChain, type StoredEventRow } from '../../libs/infra/src/index.js';
import { eventually, given } from '../support/given.js';
import { runNode, type RunningProcess } from '../support/processes.js';
import { createTestEnvironment, type TestEnvironment } from '../support/test-environment.js';

const CASES = 1_000;
const KILLS_PER_WAVE = 3;

// 1,000 cases through the engine while the worker process is killed with SIGKILL (no shutdown hook runs) six
// times: every case reaches its expected state, no command is applied twice, none is lost.
describe('engine crash test: SIGKILL the worker while 1,000 cases move', () => {
  let env: TestEnvironment;
  let worker: RunningProcess | undefined;
  const kills: number[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment('e2e engine crash', {
      HEARTBEAT_EVERY_MS: '60000',
      LOG_LEVEL: 'error',
      WORKER_CONCURRENCY: '16',
    });
  });
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await env?.teardown();
  });

  const start = async () => {
    worker = runNode('dist/apps/worker/src/main.js', env.env);
    await worker.waitFor(/minsheng worker running/);
  };
  const count = async (sql: string, params: unknown[] = []) => (await env.db.query(sql, params)).rows[0].n as number;
  /** Starts the worker and kills it mid-flight a few times, then lets a last one finish the wave. */
  const killWhileRunning = async (done: () => Promise<number>) => {
    for (let i = 0; i < KILLS_PER_WAVE; i++) {
      await start();
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
      await worker!.stop('SIGKILL');
      kills.push(await done());
    }
    await start();
    await eventually(async () => (await done()) === CASES, 100_000);
    await worker!.stop('SIGTERM');
  };

  it('applies every command exactly once across kills and restarts', async () => {
    const the = given(env.db, env.clock);
    const cases = [];
    for (let i = 0; i < CASES; i += 3) {
      const batch = [i, i + 1, i + 2].filter((n) => n < CASES);
      cases.push(
        ...(await Promise.all(batch.map((n) => the.submittedCase({ itemCode: n % 2 ? 'BPS-064' : 'BPS-073' })))),
      );
    }
    const ids = cases.map((c) => c.caseId);

    // Wave 1: SUBMITTED → an acceptance task for each case.
    await killWhileRunning(() =>
      count(`SELECT count(*)::int AS n FROM tasks WHERE step = 'acceptance' AND case_id = ANY($1)`, [ids]),
    );
    // Wave 2: every acceptance approved → an investigation task each.
    await env.db.query(
      `INSERT INTO outbox (kind, case_id, payload)
       SELECT 'case.command', id, jsonb_build_object('caseId', id, 'commandId', gen_random_uuid(), 'actor', 'staff:r1',
         'event', jsonb_build_object('type', 'DECIDED', 'step', 'acceptance', 'outcome', 'approve', 'actor', 'staff:r1'))
       FROM unnest($1::uuid[]) AS id`,
      [ids],
    );
    await killWhileRunning(() =>
      count(
        `SELECT count(*)::int AS n FROM tasks WHERE step = 'investigation' AND closed_at IS NULL AND case_id = ANY($1)`,
        [ids],
      ),
    );
    // At least five of the kills hit the worker with work of its wave still to do.
    expect(kills.filter((done) => done < CASES).length).toBeGreaterThanOrEqual(5);

    const statuses = await env.db.query(`SELECT status, count(*)::int AS n FROM cases GROUP BY status`);
    expect(statuses.rows).toEqual([{ status: 'in-review', n: CASES }]);
    // Each case: its application event, SUBMITTED, DECIDED once each, no refusal; seq contiguous; chain intact.
    const perCase = await env.db.query(
      `SELECT case_id, count(*) FILTER (WHERE type = 'SUBMITTED')::int AS submitted,
              count(*) FILTER (WHERE type = 'DECIDED')::int AS decided,
              count(*) FILTER (WHERE type = 'COMMAND_REFUSED')::int AS refused,
              count(*) FILTER (WHERE type = 'TASK_OPENED')::int AS opened,
              max(seq)::int AS last, count(*)::int AS events
       FROM case_events GROUP BY case_id`,
    );
    expect(perCase.rows).toHaveLength(CASES);
    for (const row of perCase.rows) {
      expect(row).toMatchObject({ submitted: 1, decided: 1, refused: 0, opened: 2, last: row.events });
    }
    const versions = await env.db.query(`SELECT DISTINCT version FROM cases`);
    expect(versions.rows).toEqual([{ version: 2 }]);
    const events = await env.db.query<StoredEventRow>(`SELECT * FROM case_events ORDER BY case_id, seq`);
    const byCase = new Map<string, StoredEventRow[]>();
    for (const e of events.rows) byCase.set(e.case_id, [...(byCase.get(e.case_id) ?? []), e]);
    const broken = [...byCase.values()].filter((rows) => !verifyChain(rows).ok);
    expect(broken).toHaveLength(0);
    expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'case.command' AND sent_at IS NULL`)).toBe(
      0,
    );
  });
});
