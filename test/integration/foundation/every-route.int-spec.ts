import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { eventually } from '../../support/given.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken } from '../../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenPortal, minimumLivingApplication, post } from '../intake/intake-fixtures.js';

/** Runs per route and the seed: bounded and repeatable (about 30 s for the whole document on 2 cores). */
const RUNS_PER_ROUTE = 30;
const SEED = 15;

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly pathParams: string[];
  readonly queryParams: string[];
}

/** Text that once reached SQL or a parser: NUL, lone surrogates, numbers as dates, ids that only look like ids. */
const nastyText = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '%',
  '%zz',
  '%00',
  '12345',
  '+275760-09-13T00:00:00.000Z',
  '-'.repeat(36),
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  "'; DROP TABLE cases; --",
  '9'.repeat(400),
  '-1',
  '1e309',
  'NaN',
  '',
  ' ',
);
const unitWithSurrogates = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\ud800', '\udc00') },
);
const text = fc.oneof(fc.string(), fc.string({ unit: unitWithSurrogates }), nastyText);
const json = fc.jsonValue({ maxDepth: 4, stringUnit: unitWithSurrogates });
const cursor = fc
  .record({
    dueAt: fc.oneof(
      fc.constant(null),
      text,
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    ),
    id: fc.oneof(fc.uuid(), text),
  })
  .map((value) => Buffer.from(JSON.stringify(value)).toString('base64url'));

/** Field names of the request bodies, so generated bodies sometimes get past the strict-object checks. */
const BODY_FIELDS = ['outcome', 'reasonCode', 'comment', 'findings', 'amountFen', 'summary', 'reason', 'materials'];
const bodyText = fc.oneof(
  json.map((value) => JSON.stringify(value)),
  fc
    .dictionary(fc.oneof(fc.constantFrom(...BODY_FIELDS), text), fc.oneof(json, text), { maxKeys: 4 })
    .map((value) => JSON.stringify(value)),
  fc
    .record(
      { outcome: fc.constantFrom('approve', 'reject', 'return'), comment: fc.oneof(fc.string(), text), findings: json },
      { requiredKeys: ['outcome'] },
    )
    .map((v) => JSON.stringify(v)),
  text,
);

/** Percent-encodes the UTF-8 bytes of `value`, or (sometimes) sends it raw so a malformed escape reaches the router. */
function encode(value: string, raw: boolean): string {
  if (raw && /^[\x21-\x7e]*$/.test(value) && !/[/?#&=]/.test(value)) return value;
  return [...Buffer.from(value, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

/**
 * Every route of the OpenAPI document gets generated path parameters, query strings, cursors and bodies, with a
 * staff token holding every role and a portal key: no answer is a 5xx, and every refusal is problem+json.
 */
describe('every route of the OpenAPI document, with generated input (property)', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;
  let operations: Operation[];
  let headers: Record<string, string>;
  /** Valid values per parameter name, so some requests reach the services and SQL. */
  let valid: Record<string, string[]>;

  beforeAll(async () => {
    env = await createTestEnvironment('every route');
    app = await createGateway(env.config);
    base = await listen(app);
    const portal = await givenPortal(env);
    const staff = await staffToken(env.env, 'all-roles', {
      roles: ['reviewer', 'supervisor', 'operator', 'auditor'],
    });
    headers = { ...staff.headers, 'x-api-key': portal.apiKey };
    const submitted = await post(base, '/v1/applications', portal.apiKey, minimumLivingApplication(), randomUUID());
    expect(submitted.status).toBe(202);
    // The engine opens the case's first task; then it stops, so the generated requests meet a case at rest.
    const worker = await createWorker(env.config);
    const taskId = await eventually(async () => {
      const { rows } = await env.db.query<{ id: string }>(`SELECT id FROM tasks WHERE case_id = $1`, [
        submitted.body.caseId,
      ]);
      return rows[0]?.id;
    });
    await worker.close();
    valid = {
      id: [submitted.body.caseId as string, taskId, randomUUID()],
      code: ['BPS-064'],
      year: ['2026'],
      name: ['case-commands'],
      limit: ['1', '50'],
      itemCode: ['BPS-064'],
      at: ['2026-06-01'],
      key: ['minimum-living-standard'],
    };
    const document = (await getJson(`${base}/docs/openapi.json`)).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        queryParams: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      })),
    );
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  it('reads every route from the document', () => {
    const routes = operations.map((o) => `${o.method} ${o.path}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /v1/applications',
        'POST /v1/tasks/{id}/decision',
        'GET /v1/tasks',
        'POST /v1/staff/cases/{id}/extension',
        'GET /v1/catalog/items/{code}',
        'GET /v1/cases/{id}',
      ]),
    );
  });

  const valueFor = (name: string) =>
    fc.oneof(
      { weight: 2, arbitrary: text },
      { weight: 3, arbitrary: fc.constantFrom(...(Object.hasOwn(valid, name) ? valid[name]! : ['x'])) },
      ...(name === 'cursor' ? [{ weight: 3, arbitrary: cursor }] : []),
    );

  it('answers no generated request with a 5xx, and refuses with problem+json', async () => {
    expect(operations.length).toBeGreaterThan(30);
    const failures: string[] = [];
    let pastValidation = 0;
    for (const operation of operations) {
      const request = fc.record({
        params: fc.tuple(...operation.pathParams.map((name) => valueFor(name)), fc.constant('')),
        rawPath: fc.boolean(),
        // Half the requests carry no query, so the other parts are not always refused because of it.
        query: fc.oneof(
          fc.constant([] as [string, string][]),
          fc.array(
            fc
              .oneof(fc.constantFrom(...operation.queryParams, 'cursor'), text)
              .chain((key) => fc.tuple(fc.constant(key), valueFor(key))),
            { maxLength: 4 },
          ),
        ),
        body: fc.option(bodyText, { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ params, rawPath, query, body }) => {
          let index = 0;
          const path = operation.path.replace(/\{\w+\}/g, () => encode(params[index++]!, rawPath));
          const search = query.map(([k, v]) => `${encode(k, false)}=${encode(v, false)}`).join('&');
          const url = `${base}${path}${search ? `?${search}` : ''}`;
          const sendsBody = body !== undefined && operation.method !== 'GET';
          const response = await fetch(url, {
            method: operation.method,
            headers: {
              ...headers,
              'idempotency-key': randomUUID(),
              ...(sendsBody ? { 'content-type': 'application/json' } : {}),
            },
            ...(sendsBody ? { body } : {}),
          });
          await response.arrayBuffer();
          const problem = response.headers.get('content-type')?.includes('application/problem+json');
          // Collected rather than thrown, so one run lists every route that fails.
          if (response.status >= 500 || (response.status >= 400 && !problem)) {
            failures.push(`${operation.method} ${url} ${body ?? ''} → ${response.status}`);
          }
          if (response.status !== 400) pastValidation += 1;
        }),
        { numRuns: RUNS_PER_ROUTE, seed: SEED },
      );
    }
    expect(failures).toEqual([]);
    // The generators are not all refused at the door: some requests reach guards, services and SQL.
    expect(pastValidation).toBeGreaterThan(operations.length);
  }, 120_000);
});
