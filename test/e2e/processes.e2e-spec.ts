import { eventually, given } from '../support/given.js';
import { runNode, type RunningProcess } from '../support/processes.js';
import { createTestEnvironment, type TestEnvironment } from '../support/test-environment.js';

const SHUTDOWN_TIMEOUT_MS = 1_500;

/** Whether a process with this id still exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `npm start`'s supervisor and the standalone processes stop as a process manager expects: signals reach both
 * children, nothing outlives the supervisor, a process that does not stop in time is killed, and every step is
 * logged.
 */
describe('processes: signals, deadlines and shutdown logs', () => {
  let env: TestEnvironment;
  const started: RunningProcess[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment('e2e processes', {
      HEARTBEAT_EVERY_MS: '60000',
      LOG_LEVEL: 'error',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    });
  });
  afterAll(async () => {
    for (const p of started) await p.stop('SIGKILL');
    await env?.teardown();
  });

  /** Runs dist/scripts/start.js and returns it with its children's process ids once both are up. */
  async function startBoth(): Promise<{ start: RunningProcess; gateway: number; worker: number }> {
    const start = runNode('dist/scripts/start.js', env.env);
    started.push(start);
    await start.waitFor(/minsheng gateway listening/);
    await start.waitFor(/minsheng worker running/);
    const pid = (name: string) =>
      Number(new RegExp(`\\[start\\] ${name} started \\(pid (\\d+)\\)`).exec(start.output())![1]);
    return { start, gateway: pid('gateway'), worker: pid('worker') };
  }

  it('passes SIGTERM to the gateway and the worker, waits for both, and logs the shutdown', async () => {
    const { start, gateway, worker } = await startBoth();
    expect(await start.stop('SIGTERM')).toBe(0);
    const output = start.output();
    expect(output).toContain('[start] SIGTERM: stopping gateway and worker');
    expect(output).toMatch(/\[gateway\] SIGTERM: stopping/);
    expect(output).toContain('[gateway] stopped');
    expect(output).toContain('[worker] stopped');
    expect(output).toMatch(/\[start\] stopped\s*$/);
    expect([alive(gateway), alive(worker)]).toEqual([false, false]);
  });

  it('kills a child that is still running after the grace period, and leaves none behind', async () => {
    const { start, gateway, worker } = await startBoth();
    process.kill(worker, 'SIGSTOP'); // a worker that cannot answer the signal
    expect(await start.stop('SIGTERM')).toBe(0);
    expect(start.output()).toMatch(/\[start\] worker still running \d+ ms after the stop: killed/);
    expect(start.output()).toContain('[gateway] stopped');
    expect([alive(gateway), alive(worker)]).toEqual([false, false]);
  });

  it('gives the standalone worker its own deadline when a job does not finish', async () => {
    const worker = runNode('dist/apps/worker/src/main.js', env.env);
    started.push(worker);
    await worker.waitFor(/minsheng worker running/);
    // Hold the case row, so the engine's job for it waits on the lock and the worker cannot close in time.
    const blocker = await env.db.connect();
    try {
      await blocker.query('BEGIN');
      const { caseId } = await given(env.db, env.clock).submittedCase();
      await blocker.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
      await eventually(async () => {
        const { rows } = await env.db.query(
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        );
        return rows.length > 0;
      });
      expect(await worker.stop('SIGTERM')).toBe(1);
      expect(worker.output()).toContain('[worker] SIGTERM: stopping');
      expect(worker.output()).toContain(`[worker] not stopped within ${SHUTDOWN_TIMEOUT_MS} ms`);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
  });
});
