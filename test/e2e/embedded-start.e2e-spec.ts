import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { minimumLivingApplication } from '../integration/intake/intake-fixtures.js';
import { eventually } from '../support/given.js';
import { getJson } from '../support/http.js';
import { freePort, runNode, type RunningProcess } from '../support/processes.js';
import { tianshanReviewers } from '../support/staff.js';
import { TEST_QUEUE_BACKEND, TEST_REDIS_URL } from '../support/test-database.js';
import { TEST_CLOCK_START } from '../support/test-environment.js';

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

// `npm start` with no DATABASE_URL (docs/operations.md, "Embedded mode"): it runs its own PostgreSQL, prints a
// development portal key that works, and stops that server with the gateway and the worker; with no REDIS_URL
// either, the queues run in that PostgreSQL too (docs/operations.md, "Queue backends").
// The Redis variant needs the run's Redis: it runs when the run's queues are on Redis (docs/development.md, "Tests
// without services"); the PostgreSQL variant runs always.
describe.each([
  ...(TEST_QUEUE_BACKEND === 'redis'
    ? [
        {
          queues: 'Redis',
          redisUrl: TEST_REDIS_URL as string | undefined,
          message: /\[start\] queues: BullMQ on Redis/,
        },
      ]
    : []),
  { queues: 'PostgreSQL', redisUrl: undefined, message: /\[start\] queues: BullMQ on PostgreSQL \(no REDIS_URL set\)/ },
])('npm start without DATABASE_URL: the embedded PostgreSQL, queues on $queues', ({ redisUrl, message }) => {
  let dataDir: string;
  let system: RunningProcess;
  let base: string;
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    CLOCK_START: TEST_CLOCK_START,
    ...(redisUrl === undefined ? {} : { REDIS_URL: redisUrl }),
    QUEUE_PREFIX: `test-embedded-${randomBytes(4).toString('hex')}`,
    WORKER_METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'minsheng-start-'));
    // Under root the server runs as nobody, which must be able to enter the directory.
    await chmod(dataDir, 0o755);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    system = runNode('dist/scripts/start.js', { ...env, EMBEDDED_DATA_DIR: dataDir, GATEWAY_PORT: String(port) });
    await system.waitFor(/minsheng gateway listening/);
    await system.waitFor(/minsheng worker running/);
  });

  afterAll(async () => {
    await system?.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (redisUrl === undefined) return;
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    const keys = await redis.keys(`${env.QUEUE_PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('says which mode runs, and the printed portal key submits an application that a reviewer accepts', async () => {
    expect(system.output()).toMatch(message);
    expect(system.output()).toMatch(/\[start\] database: embedded PostgreSQL \(no DATABASE_URL set\) on 127\.0\.0\.1:/);
    const apiKey = system.output().match(/x-api-key: (\S+)/)?.[1];
    expect(apiKey).toBeDefined();
    const submitted = await getJson(`${base}/v1/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey!, 'idempotency-key': randomUUID() },
      body: JSON.stringify(minimumLivingApplication()),
    });
    expect(submitted.status).toBe(202);
    const caseId: string = submitted.body.caseId;

    const reviewers = await tianshanReviewers(env);
    const taskOf = (step: string) =>
      eventually(async () => {
        const inbox = await getJson(`${base}/v1/tasks?step=${step}&limit=200`, { headers: reviewers.streetA.headers });
        return inbox.body.items?.find((t: { caseId: string }) => t.caseId === caseId)?.id as string | undefined;
      }, 20_000);
    const acceptance = await taskOf('acceptance');
    const decided = await getJson(`${base}/v1/tasks/${acceptance}/decision`, {
      method: 'POST',
      headers: { ...reviewers.streetA.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'approve' }),
    });
    expect(decided.status).toBe(202);
    // The worker applied the decision: the case moved on to the home visit.
    expect(await taskOf('investigation')).toEqual(expect.any(String));
  });

  it('stops the embedded server with the gateway and the worker', async () => {
    const databasePort = Number(
      system.output().match(/embedded PostgreSQL \(no DATABASE_URL set\) on 127\.0\.0\.1:(\d+)/)?.[1],
    );
    expect(databasePort).toBeGreaterThan(0);
    expect(await refused(databasePort)).toBe(false);
    expect(await system.stop('SIGTERM')).toBe(0);
    expect(system.output()).toContain('[start] embedded PostgreSQL stopped');
    expect(await refused(databasePort)).toBe(true);
  });
});
