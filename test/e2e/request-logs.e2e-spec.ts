import { randomUUID } from 'node:crypto';
import { minimumLivingApplication, givenPortal, nextIdNumber } from '../integration/intake/intake-fixtures.js';
import { freePort, runNode, type RunningProcess } from '../support/processes.js';
import { postgresBehindProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { createTestEnvironment, type TestEnvironment } from '../support/test-environment.js';

interface LogLine {
  readonly level: number;
  readonly msg?: string;
  readonly requestId?: string;
  readonly context?: string;
  readonly req?: { id?: string; method?: string; url?: string };
  readonly res?: { statusCode?: number };
  readonly responseTime?: number;
}

/** The JSON lines the gateway wrote that carry `id` as their request's id (the `req` binding). */
function linesOf(gateway: RunningProcess, id: string): LogLine[] {
  return gateway
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.req?.id === id);
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The lines a request leaves in the built gateway's log (pino JSON on stdout), at the default level and at the
 * bench's: the request's id on each of them, the completion line at `info` (libs/infra/src/logging/logger.module.ts;
 * bench/profiles/intake.md "Request logging and the intake path (2026-12-07)").
 */
describe.each(['info', 'warn'] as const)('the gateway’s request log lines at LOG_LEVEL=%s', (level) => {
  let env: TestEnvironment;
  let postgres: TcpProxy;
  let gateway: RunningProcess;
  let base: string;
  let apiKey: string;

  beforeAll(async () => {
    env = await createTestEnvironment(`e2e request logs ${level}`);
    ({ apiKey } = await givenPortal(env));
    const behind = await postgresBehindProxy();
    postgres = behind.proxy;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    gateway = runNode('dist/apps/gateway/src/main.js', {
      ...env.env,
      DATABASE_URL: behind.databaseUrl,
      GATEWAY_PORT: String(port),
      LOG_LEVEL: level,
    });
    await gateway.waitFor(/minsheng gateway listening/);
  });

  afterAll(async () => {
    await gateway?.stop();
    await postgres?.stop();
    await env?.teardown();
  });

  const submit = (headers: Record<string, string> = {}) =>
    fetch(`${base}/v1/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'idempotency-key': randomUUID(), ...headers },
      body: JSON.stringify(minimumLivingApplication(nextIdNumber())),
    });

  /** A request that fails inside the gateway (PostgreSQL gone: readiness answers 503), written at `error`. */
  async function failingRequest(id: string): Promise<Response> {
    await postgres.stop();
    try {
      return await fetch(`${base}/health/ready`, { headers: { 'x-request-id': id } });
    } finally {
      await postgres.start();
    }
  }

  it('writes the request’s error line with its id, then its completion line at info', async () => {
    const id = `logs-failing-${level}`;
    const answer = await failingRequest(id);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('x-request-id')).toBe(id);
    await gateway.waitFor(new RegExp(`"requestId":"${escaped(id)}"`));
    if (level === 'info') await gateway.waitFor(new RegExp(`"id":"${escaped(id)}".*"msg":"request errored"`));

    const lines = linesOf(gateway, id);
    const problem = lines.find((line) => line.context === 'Problems');
    expect(problem).toMatchObject({ level: 50, requestId: id, req: { id, method: 'GET', url: '/health/ready' } });
    const completion = lines.filter((line) => line.msg === 'request errored');
    if (level === 'info') {
      expect(completion).toEqual([
        expect.objectContaining({
          level: 30,
          req: { id, method: 'GET', url: '/health/ready' },
          res: expect.objectContaining({ statusCode: 503, headers: expect.objectContaining({ 'x-request-id': id }) }),
          err: expect.objectContaining({ message: 'failed with status code 503' }),
        }),
      ]);
    } else {
      expect(completion).toEqual([]);
    }
    expect(lines).toHaveLength(level === 'info' ? 2 : 1);
  });

  it('writes one completion line for an accepted application at info, with the id the portal sent', async () => {
    const id = `logs-accepted-${level}`;
    const answer = await submit({ 'x-request-id': id });
    expect(answer.status).toBe(202);
    expect(answer.headers.get('x-request-id')).toBe(id);
    // A later line that is written at every level marks the point by which this request's lines are out.
    const marker = `logs-marker-accepted-${level}`;
    await failingRequest(marker);
    await gateway.waitFor(new RegExp(`"requestId":"${escaped(marker)}"`));

    const lines = linesOf(gateway, id);
    if (level === 'info') {
      expect(lines).toEqual([
        expect.objectContaining({
          level: 30,
          msg: 'request completed',
          req: { id, method: 'POST', url: '/v1/applications' },
          res: expect.objectContaining({ statusCode: 202 }),
          responseTime: expect.any(Number),
        }),
      ]);
    } else {
      expect(lines).toEqual([]);
    }
    // Credentials and personal data stay out of the log whatever the level.
    expect(gateway.output()).not.toContain(apiKey);
    expect(gateway.output()).not.toContain('13912345678');
  });

  it('logs under the id it made and echoed when the portal sent none', async () => {
    const answer = await submit();
    expect(answer.status).toBe(202);
    const id = answer.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const marker = `logs-marker-made-${level}`;
    await failingRequest(marker);
    await gateway.waitFor(new RegExp(`"requestId":"${escaped(marker)}"`));

    expect(linesOf(gateway, id).map((line) => line.msg)).toEqual(level === 'info' ? ['request completed'] : []);
  });

  it('writes no line for the liveness probe, whatever the level', async () => {
    const id = `logs-live-${level}`;
    const answer = await fetch(`${base}/health/live?probe=1`, { headers: { 'x-request-id': id } });
    expect(answer.status).toBe(200);
    const marker = `logs-marker-live-${level}`;
    await failingRequest(marker);
    await gateway.waitFor(new RegExp(`"requestId":"${escaped(marker)}"`));

    expect(linesOf(gateway, id)).toEqual([]);
  });
});
