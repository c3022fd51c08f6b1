import { openPaymentRun, type Queryable } from '../../libs/infra/src/index.js';
import { eventually, TIANSHAN_STREET } from '../support/given.js';
import { bulkApprovedHouseholds, SAYIBAK_STREET } from '../support/households.js';
import { runNode, type RunningProcess } from '../support/processes.js';
import { createTestEnvironment, type TestEnvironment } from '../support/test-environment.js';

const ENTITLEMENTS = 20_000;
const KILLS = 3;

// A month's payment run over 20,000 entitlements (20 batches) while the worker process is killed with SIGKILL
// mid-build, restarted, and the month opened again: every entitlement gets exactly one line (docs/money.md
// "Paying nobody twice").
describe('payment run crash test: SIGKILL the worker while a run builds', () => {
  let env: TestEnvironment;
  let worker: RunningProcess | undefined;

  beforeAll(async () => {
    env = await createTestEnvironment('e2e payment crash', { HEARTBEAT_EVERY_MS: '60000', LOG_LEVEL: 'error' });
  });
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await env?.teardown();
  });

  // The business instant the month's run is opened (the payment day of July 2026, China Standard Time).
  const OPENED_AT = new Date('2026-07-25T01:00:00Z');
  const q: Queryable = { query: async (sql, values) => (await env.db.query(sql, values as unknown[])).rows };
  const start = async () => {
    worker = runNode('dist/apps/worker/src/main.js', env.env);
    await worker.waitFor(/minsheng worker running/);
  };
  const run = async (id: string) =>
    (await env.db.query(`SELECT state, examined, batches FROM payment_runs WHERE id = $1`, [id])).rows[0] as {
      state: string;
      examined: number;
      batches: number;
    };

  it('pays every entitlement once across kills, restarts and the month opened twice', async () => {
    await bulkApprovedHouseholds(env.db, ENTITLEMENTS, [TIANSHAN_STREET, SAYIBAK_STREET], 38_000);
    const opened = await openPaymentRun(q, { month: '2026-07', requestedBy: 'test', requestId: null, now: OPENED_AT });
    expect(opened.opened).toBe(true);
    const id = opened.run.id;

    // Kill the worker as soon as the build has committed a batch beyond the last kill's.
    const killedAt: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      const before = (await run(id)).examined;
      await start();
      await eventually(async () => {
        const now = await run(id);
        return now.state !== 'building' || now.examined > before;
      }, 120_000);
      await worker!.stop('SIGKILL');
      const after = await run(id);
      killedAt.push(after.state === 'building' ? after.examined : ENTITLEMENTS);
    }
    // At least two kills hit the build with batches still to write.
    expect(killedAt.filter((examined) => examined < ENTITLEMENTS).length).toBeGreaterThanOrEqual(2);

    // The month opened again (an operator and the scheduler) is the same run.
    const again = await openPaymentRun(q, { month: '2026-07', requestedBy: 'test', requestId: null, now: OPENED_AT });
    expect(again).toMatchObject({ opened: false, run: { id } });

    await start();
    await eventually(async () => (await run(id)).state === 'ready', 120_000);
    await worker!.stop('SIGTERM');

    const { rows } = await env.db.query(
      `SELECT count(*)::int AS lines, count(DISTINCT entitlement_id)::int AS entitlements,
              (SELECT count(*)::int FROM entitlements e
               WHERE NOT EXISTS (SELECT 1 FROM payment_lines l WHERE l.entitlement_id = e.id)) AS unpaid
       FROM payment_lines WHERE month = '2026-07'`,
    );
    expect(rows[0]).toEqual({ lines: ENTITLEMENTS, entitlements: ENTITLEMENTS, unpaid: 0 });
    expect(await run(id)).toMatchObject({ state: 'ready', examined: ENTITLEMENTS });
  });
});
