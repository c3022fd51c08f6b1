import { randomUUID } from 'node:crypto';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { MAX_JSON_DEPTH } from '../../../apps/gateway/src/problems/input-guard.js';
import { FINDINGS_LIMITS } from '../../../apps/gateway/src/tasks/task.requests.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken } from '../../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenPortal, rowCounts } from '../intake/intake-fixtures.js';

/** A JSON text nesting `depth` objects under the key `a` (built as text: JSON.stringify itself would recurse). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const NOT_A_UUID_36 = 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz';

/**
 * Input that once reached PostgreSQL and answered 500: each is refused with 400 problem+json naming the
 * field, and nothing is written.
 */
describe('bad input from clients: 400 naming the field, never a 5xx', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;
  let portalKey: string;
  let supervisor: Record<string, string>;
  let operator: Record<string, string>;

  beforeAll(async () => {
    env = await createTestEnvironment('bad input');
    app = await createGateway(env.config);
    base = await listen(app);
    portalKey = (await givenPortal(env)).apiKey;
    supervisor = (await staffToken(env.env, 'sup-1', { roles: ['reviewer', 'supervisor'] })).headers;
    operator = (await staffToken(env.env, 'op-1', { level: 'city', divisions: ['650100'], roles: ['operator'] }))
      .headers;
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  interface Case {
    readonly name: string;
    readonly method?: 'GET' | 'POST';
    readonly path: string;
    /** JSON text, sent as is (so escapes such as `\ud800` reach the parser). */
    readonly body?: string;
    readonly who: 'staff' | 'operator' | 'portal' | 'public';
    readonly field: string;
  }

  const taskId = randomUUID();
  const caseId = randomUUID();
  const cases: Case[] = [
    { name: 'NUL in a decision comment', method: 'POST', path: `/v1/tasks/${taskId}/decision`, who: 'staff', field: 'comment', body: '{"outcome":"approve","comment":"ok\\u0000"}' },
    { name: 'lone surrogate in a decision comment', method: 'POST', path: `/v1/tasks/${taskId}/decision`, who: 'staff', field: 'comment', body: '{"outcome":"approve","comment":"\\ud800ok"}' },
    { name: 'NUL in findings', method: 'POST', path: `/v1/tasks/${taskId}/decision`, who: 'staff', field: 'findings.note', body: '{"outcome":"approve","findings":{"note":"\\u0000"}}' },
    { name: 'lone surrogate in a findings key', method: 'POST', path: `/v1/tasks/${taskId}/decision`, who: 'staff', field: 'findings.\\uDC00', body: '{"outcome":"approve","findings":{"\\udc00":1}}' },
    { name: 'NUL in an objection summary', method: 'POST', path: `/v1/staff/cases/${caseId}/objections`, who: 'staff', field: 'summary', body: '{"summary":"a\\u0000b"}' },
    { name: 'lone surrogate in an extension reason', method: 'POST', path: `/v1/staff/cases/${caseId}/extension`, who: 'staff', field: 'reason', body: '{"reason":"\\udfff"}' },
    { name: 'NUL in a portal application', method: 'POST', path: '/v1/applications', who: 'portal', field: 'applicant.name', body: '{"itemCode":"BPS-064","applicant":{"name":"张\\u0000三"}}' },
    { name: '%00 in a catalog path parameter', path: '/v1/catalog/items/BPS%00', who: 'public', field: 'code' },
    { name: '%00 in a catalog query', path: '/v1/catalog/items?q=%00', who: 'public', field: 'q' },
    { name: '%00 in the divisions query', path: '/v1/catalog/divisions?parent=650102%00', who: 'public', field: 'parent' },
    { name: '%00 in the inbox query', path: '/v1/tasks?step=%00', who: 'staff', field: 'step' },
    { name: '%00 in a query key', path: '/v1/tasks?%00=1', who: 'staff', field: '\\u0000' },
    { name: 'a case id that is not a UUID (objection)', method: 'POST', path: '/v1/staff/cases/not-a-case/objections', who: 'staff', field: 'id', body: '{"summary":"s"}' },
    { name: 'a case id that is not a UUID (extension)', method: 'POST', path: '/v1/staff/cases/42/extension', who: 'staff', field: 'id', body: '{"reason":"r"}' },
    { name: 'a 36-character non-UUID on a portal read', path: `/v1/cases/${NOT_A_UUID_36}`, who: 'portal', field: 'id' },
    { name: 'a 36-character non-UUID on a portal command', method: 'POST', path: `/v1/cases/${NOT_A_UUID_36}/withdrawal`, who: 'portal', field: 'id', body: '{"reason":"other"}' },
    { name: 'a case id that is not a UUID (operator trace)', path: '/v1/ops/cases/not-a-case/trace', who: 'operator', field: 'id' },
    { name: 'a task id that is not a UUID', path: '/v1/tasks/------------------------------------', who: 'staff', field: 'id' },
    { name: 'a case id with %00 on the clocks route', path: `/v1/staff/cases/${caseId}%00/clocks`, who: 'operator', field: 'id' },
    { name: 'a cursor whose dueAt is a bare number', path: `/v1/tasks?cursor=${cursorOf({ dueAt: '12345', id: taskId })}`, who: 'staff', field: 'cursor' },
    { name: 'a cursor in an extreme year', path: `/v1/tasks?cursor=${cursorOf({ dueAt: '+275760-09-13T00:00:00.000Z', id: taskId })}`, who: 'staff', field: 'cursor' },
    { name: 'a cursor whose id only looks like a UUID', path: `/v1/tasks?cursor=${cursorOf({ dueAt: null, id: '-'.repeat(36) })}`, who: 'staff', field: 'cursor' },
    { name: 'findings nested 10,000 deep', method: 'POST', path: `/v1/tasks/${taskId}/decision`, who: 'staff', field: `findings${'.a'.repeat(MAX_JSON_DEPTH - 1)}`, body: `{"outcome":"approve","findings":${nested(10_000)}}` },
    { name: 'findings deeper than their limit', method: 'POST', path: `/v1/tasks/${taskId}/decision`, who: 'staff', field: 'findings', body: `{"outcome":"approve","findings":${nested(FINDINGS_LIMITS.maxDepth + 1)}}` },
    { name: 'findings larger than their limit', method: 'POST', path: `/v1/tasks/${taskId}/decision`, who: 'staff', field: 'findings', body: JSON.stringify({ outcome: 'approve', findings: { note: 'x'.repeat(FINDINGS_LIMITS.maxBytes) } }) },
  ]; // prettier-ignore

  it.each(cases)('$name → 400 naming $field', async ({ method = 'GET', path, body, who, field }) => {
    const before = await rowCounts(env);
    const headers: Record<string, string> = {
      ...(who === 'staff' ? supervisor : who === 'operator' ? operator : {}),
      ...(who === 'portal' ? { 'x-api-key': portalKey, 'idempotency-key': randomUUID() } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const response = await getJson(`${base}${path}`, { method, headers, body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 400, code: 'VALIDATION.FAILED' });
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await rowCounts(env)).toEqual(before);
  });

  it.each([
    ['a malformed percent-escape in the path', `/v1/catalog/items/BPS%E0%A4%A`, 400, 'REQUEST.BAD_URL'],
    ['a path parameter over 100 characters', `/v1/catalog/items/${'9'.repeat(101)}`, 414, 'REQUEST.PARAMETER_TOO_LONG'],
  ])('answers the router’s refusal of %s as a problem', async (_, path, status, code) => {
    const response = await getJson(`${base}${path}`);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status, code });
  });

  it('refuses a body nested as deep as the body limit allows (arrays), without a stack overflow', async () => {
    const depth = 120_000; // 240 KB of brackets: under the 256 KiB body limit
    const response = await getJson(`${base}/v1/tasks/${taskId}/decision`, {
      method: 'POST',
      headers: { ...supervisor, 'content-type': 'application/json' },
      body: `{"outcome":"approve","findings":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ code: 'TOO_DEEP' });
  });

  it('accepts findings within the limits as far as validation goes (then the unknown task is 404)', async () => {
    const findings = JSON.parse(nested(FINDINGS_LIMITS.maxDepth)) as unknown;
    const response = await getJson(`${base}/v1/tasks/${taskId}/decision`, {
      method: 'POST',
      headers: { ...supervisor, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'approve', comment: '核实无误 ✓ 𠀀', findings }),
    });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('TASK.NOT_FOUND');
  });
});
