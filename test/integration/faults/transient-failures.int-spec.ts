import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, type StaffToken } from '../../support/staff.js';
import { eventually } from '../../support/given.js';
import { describeOnQueueBackend } from '../../support/queue-backend.js';
import { OwnRedisServer } from '../../support/redis-server.js';
import { TEST_QUEUE_BACKEND } from '../../support/test-database.js';
import { postgresBehindProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { bearer, staffTokens } from '../ops/ops-fixtures.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

/**
 * PostgreSQL away (docs/operations.md "Transient failures"): the gateway reaches it through a TCP proxy the test
 * cuts. Every route that needs the database answers 503 `SERVICE.UNAVAILABLE` with `Retry-After`, never a 500,
 * and answers normally again once the proxy is back, without a restart.
 */
describe('transient failures: PostgreSQL or the queue store away answers 503 with Retry-After', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;
  let reviewer: StaffToken;
  let postgres: TcpProxy;
  // On the Redis queue backend, a Redis of the test's own that it can stop; none on the PostgreSQL backend.
  let redis: OwnRedisServer | undefined;

  beforeAll(async () => {
    if (TEST_QUEUE_BACKEND === 'redis') redis = await OwnRedisServer.start();
    env = await createTestEnvironment('transient failures', redis === undefined ? {} : { REDIS_URL: redis.url });
    const behindProxy = await postgresBehindProxy();
    postgres = behindProxy.proxy;
    app = await createGateway(env.configWith({ DATABASE_URL: behindProxy.databaseUrl }));
    base = await listen(app);
    reviewer = await staffToken(env.env, 'street-a');
  });
  afterAll(async () => {
    await app?.close();
    await postgres?.stop();
    await env?.teardown();
    await redis?.stop();
  });

  const routes = () => [
    { name: 'inbox', url: `${base}/v1/tasks`, init: { headers: reviewer.headers } },
    { name: 'catalog', url: `${base}/v1/catalog/items?limit=5`, init: {} },
    {
      name: 'decision',
      url: `${base}/v1/tasks/00000000-0000-4000-8000-000000000000/decision`,
      init: {
        method: 'POST',
        headers: { ...reviewer.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'approve' }),
      },
    },
  ];

  it('answers 503 SERVICE.UNAVAILABLE with Retry-After while the proxy is cut, and recovers by itself', async () => {
    const before = await Promise.all(routes().map((r) => getJson(r.url, r.init)));
    expect(before.map((a) => a.status)).toEqual([200, 200, 404]);

    await postgres.stop();
    for (const route of routes()) {
      const down = await getJson(route.url, route.init);
      expect({ route: route.name, status: down.status }).toEqual({ route: route.name, status: 503 });
      expect(down.headers.get('content-type')).toContain('application/problem+json');
      expect(down.headers.get('retry-after')).toBe('5');
      expect(down.body).toMatchObject({ status: 503, code: 'SERVICE.UNAVAILABLE' });
    }

    await postgres.start();
    const after = await Promise.all(routes().map((r) => getJson(r.url, r.init)));
    expect(after.map((a) => a.status)).toEqual([200, 200, 404]);
  });

  describeOnQueueBackend('redis', 'the queue store away', () => {
    it('answers 503 while Redis is away (operators’ queue view), and recovers by itself', async () => {
      const { operator } = await staffTokens(env);
      const queues = () => getJson(`${base}/v1/ops/queues`, bearer(operator));
      expect((await queues()).status).toBe(200);

      await redis!.stop();
      const down = await queues();
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(down.body).toMatchObject({ status: 503, code: 'SERVICE.UNAVAILABLE' });

      await redis!.restart();
      // ioredis reconnects with its backoff (libs/infra redis-options.ts), at most 20 s between tries.
      await eventually(async () => (await queues()).status === 200, 30_000);
    }, 60_000);
  });

  // The counterpart: on the PostgreSQL backend the queues are in the database, so the queue view goes through the
  // same proxy and answers 503 while PostgreSQL is away.
  describeOnQueueBackend('postgres', 'the queue store away', () => {
    it('answers 503 while PostgreSQL, which holds the queues, is away (operators’ queue view), and recovers by itself', async () => {
      const { operator } = await staffTokens(env);
      const queues = () => getJson(`${base}/v1/ops/queues`, bearer(operator));
      expect((await queues()).status).toBe(200);

      await postgres.stop();
      const down = await queues();
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(down.body).toMatchObject({ status: 503, code: 'SERVICE.UNAVAILABLE' });

      await postgres.start();
      await eventually(async () => (await queues()).status === 200, 30_000);
    }, 60_000);
  });
});
