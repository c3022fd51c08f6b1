import { getJson } from '../support/http.js';
import { freePort, runNode, type RunningProcess } from '../support/processes.js';
import { createTestEnvironment, type TestEnvironment } from '../support/test-environment.js';

// What `npm start` runs after building: migrations, then gateway and worker as separate processes.
describe('npm start: gateway and worker together on real PostgreSQL and Redis', () => {
  let env: TestEnvironment;
  let system: RunningProcess;
  let base: string;

  beforeAll(async () => {
    env = await createTestEnvironment('e2e foundation');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    system = runNode('dist/scripts/start.js', {
      ...env.env,
      GATEWAY_PORT: String(port),
      HEARTBEAT_EVERY_MS: '300',
      LOG_LEVEL: 'warn',
    });
    await system.waitFor(/minsheng gateway listening/);
    await system.waitFor(/minsheng worker running/);
  });

  afterAll(async () => {
    await system?.stop();
    await env?.teardown();
  });

  it('prints where the API and the docs are', () => {
    expect(system.output()).toContain(`${base}/docs`);
    expect(system.output()).toContain(`${base}/v1`);
  });

  it('is ready, serves the OpenAPI document, and the worker beats into the database', async () => {
    const ready = await getJson(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect((await getJson(`${base}/docs/openapi.json`)).body.info.title).toBe('minsheng API');

    let beats = 0;
    for (let i = 0; i < 50 && beats < 2; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const { rows } = await env.db.query('SELECT coalesce(max(beats), 0)::int AS beats FROM worker_heartbeats');
      beats = rows[0].beats;
    }
    expect(beats).toBeGreaterThanOrEqual(2);
  });

  it('stops both processes cleanly on SIGTERM', async () => {
    const code = await system.stop('SIGTERM');
    expect(code).toBe(0);
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
  });
});
