import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { getJson, listen } from '../../support/http.js';
import { postgresBehindProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

describe('gateway: health, docs and problem details', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;
  let postgres: TcpProxy;

  beforeAll(async () => {
    env = await createTestEnvironment('gateway health');
    const behindProxy = await postgresBehindProxy();
    postgres = behindProxy.proxy;
    app = await createGateway(env.configWith({ DATABASE_URL: behindProxy.databaseUrl }));
    base = await listen(app);
  });

  afterAll(async () => {
    await app?.close();
    await postgres?.stop();
    await env?.teardown();
  });

  it('answers liveness without touching dependencies', async () => {
    const { status, body } = await getJson(`${base}/health/live`);
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok' });
  });

  // Redis is checked when the queues run on it; on the PostgreSQL queue backend there is no Redis to check
  // (docs/operations.md "Queue backends").
  const redisDetail = () => (env.queueBackend === 'redis' ? expect.objectContaining({ status: 'up' }) : undefined);

  it('is ready when PostgreSQL and (on the Redis queue backend) Redis answer', async () => {
    const { status, body } = await getJson(`${base}/health/ready`);
    expect(status).toBe(200);
    expect(body.details.database.status).toBe('up');
    expect(body.details.redis).toEqual(redisDetail());
  });

  it('answers 503 naming the database while PostgreSQL is away, and recovers without a restart', async () => {
    await postgres.stop();
    const down = await getJson(`${base}/health/ready`);
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toContain('application/problem+json');
    expect(down.body.error.database.status).toBe('down');
    expect(down.body.detail).toBe('not ready: database down');
    expect(down.body.details.redis).toEqual(redisDetail());
    expect((await getJson(`${base}/health/live`)).status).toBe(200);

    await postgres.start();
    const up = await getJson(`${base}/health/ready`);
    expect(up.status).toBe(200);
    expect(up.body.details.database.status).toBe('up');
  });

  it('serves the OpenAPI document and its UI at /docs', async () => {
    const ui = await fetch(`${base}/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toContain('text/html');
    const { status, body } = await getJson(`${base}/docs/openapi.json`);
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
  });

  it('answers unknown routes with RFC 9457 problem details carrying the request id', async () => {
    const { status, headers, body } = await getJson(`${base}/v1/nothing-here`, {
      headers: { 'x-request-id': 'portal-req-42' },
    });
    expect(status).toBe(404);
    expect(headers.get('content-type')).toContain('application/problem+json');
    expect(headers.get('x-request-id')).toBe('portal-req-42');
    expect(body).toMatchObject({ status: 404, title: 'Not Found', code: 'NOT_FOUND', requestId: 'portal-req-42' });
    expect(body.type).toMatch(/^https:\/\//);
    expect(body).not.toHaveProperty('statusCode');
  });
});
