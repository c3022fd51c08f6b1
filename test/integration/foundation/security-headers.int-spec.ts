import { randomUUID } from 'node:crypto';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken } from '../../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { get, givenPortal, minimumLivingApplication, post } from '../intake/intake-fixtures.js';

/** The sources a CSP directive allows, e.g. `script-src` → [`'self'`]. */
function directive(policy: string | null, name: string): string[] {
  const found = (policy ?? '').split(';').find((d) => d.trim().startsWith(`${name} `));
  return found ? found.trim().split(/\s+/).slice(1) : [];
}

/** Where a page loads scripts and stylesheets from: `self` for a relative URL, else the URL's origin. */
function sourcesOf(html: string, tag: 'script' | 'stylesheet'): string[] {
  const pattern =
    tag === 'script'
      ? /<script\b([^>]*)>/g
      : /<link\b[^>]*rel=["']stylesheet["'][^>]*>|<link\b[^>]*href=[^>]*rel=["']stylesheet["'][^>]*>/g;
  return [...html.matchAll(pattern)].flatMap((match) => {
    const attributes = match[tag === 'script' ? 1 : 0]!;
    if (/type=["']application\/json["']/.test(attributes)) return []; // data, never executed
    const url = /(?:src|href)=["']([^"']+)["']/.exec(attributes)?.[1];
    if (url === undefined) return ['inline'];
    return /^https?:\/\//.test(url) ? [new URL(url).origin] : ["'self'"];
  });
}

/** Security headers on every answer, no-store on personal data, and a CSP the two HTML pages still work under. */
describe('security headers', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;
  let operator: Record<string, string>;

  beforeAll(async () => {
    env = await createTestEnvironment('security headers');
    app = await createGateway(env.config);
    base = await listen(app);
    operator = (await staffToken(env.env, 'op-1', { level: 'city', divisions: ['650100'], roles: ['operator'] }))
      .headers;
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  it.each(['/health/live', '/v1/catalog/domains', '/v1/tasks', '/no/such/route'])(
    'sends the security headers on %s',
    async (path) => {
      const { headers } = await getJson(`${base}${path}`);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(directive(headers.get('content-security-policy'), 'script-src')).toEqual(["'self'"]);
      expect(directive(headers.get('content-security-policy'), 'frame-ancestors')).toEqual(["'none'"]);
    },
  );

  it('marks a portal’s case read no-store, and leaves the public catalog cacheable', async () => {
    const portal = await givenPortal(env);
    const submitted = await post(base, '/v1/applications', portal.apiKey, minimumLivingApplication(), randomUUID());
    expect(submitted.status).toBe(202);
    const read = await get(base, `/v1/cases/${submitted.body.caseId}`, portal.apiKey);
    expect(read.status).toBe(200);
    expect(read.headers.get('cache-control')).toBe('no-store');
    expect(
      (await get(base, `/v1/cases/${submitted.body.caseId}/events`, portal.apiKey)).headers.get('cache-control'),
    ).toBe('no-store');
    const catalog = await getJson(`${base}/v1/catalog/domains`);
    expect(catalog.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it.each([
    ['the queue dashboard', '/ops/board'],
    ['the OpenAPI UI', '/docs'],
  ])('lets %s load its scripts and styles under the policy', async (_, path) => {
    const response = await fetch(`${base}${path}`, { headers: operator });
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy');
    const html = await response.text();
    const scripts = sourcesOf(html, 'script');
    expect(scripts.length).toBeGreaterThan(0);
    for (const source of scripts) expect(directive(policy, 'script-src')).toContain(source);
    for (const source of sourcesOf(html, 'stylesheet')) expect(directive(policy, 'style-src')).toContain(source);
  });
});
