import { readFileSync } from 'node:fs';
import { buildOpenApiDocument, errorCodesNamed } from '../../apps/gateway/src/docs/openapi-document.js';
import { ERROR_CATALOGUE, type ErrorCode } from '../../libs/domain/src/index.js';

// The committed contract is what the code gives, and says what issue-free clients need: parameters, security, errors.
interface Operation {
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }>; 'x-error-codes'?: ErrorCode[] }>;
  security: Record<string, string[]>[];
}
const built = buildOpenApiDocument() as { paths: Record<string, Record<string, Operation>> };
const committed = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as unknown;
const operations = Object.entries(built.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })),
);
const operation = (key: string) => operations.find((candidate) => candidate.key === key)!.operation;

describe('the OpenAPI document', () => {
  it('lists, per refusal, the catalogue codes it can answer with that status (x-error-codes)', () => {
    for (const { key, operation: op } of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        for (const code of response['x-error-codes'] ?? []) {
          expect([key, code, ERROR_CATALOGUE[code]?.status]).toEqual([key, code, Number(status)]);
        }
      }
      expect([key, op.responses['503']?.['x-error-codes']]).toEqual([key, ['SERVICE.UNAVAILABLE']]);
      if (op.responses['401']) {
        expect([key, op.responses['401']['x-error-codes']]).toEqual([
          key,
          expect.arrayContaining(['AUTH.UNAUTHENTICATED']),
        ]);
      }
    }
    expect(operation('POST /v1/tasks/{id}/decision').responses['409']?.['x-error-codes']).toContain(
      'TASK.ALREADY_DECIDED',
    );
    // A wildcard names every code of its prefix; a code of another status is not listed under this one.
    expect(errorCodesNamed(401, 'AUTH.TOKEN_* or CASE.NOT_FOUND')).toEqual(
      Object.keys(ERROR_CATALOGUE)
        .filter((code) => code.startsWith('AUTH.TOKEN_'))
        .sort(),
    );
  });

  it('is the committed openapi.json (npm run openapi regenerates it)', () => {
    expect(built).toEqual(committed);
  });

  it('declares the query parameters the handlers read', () => {
    const names = (key: string) => (operation(key).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(names('GET /v1/tasks')).toEqual(
      expect.arrayContaining(['itemCode', 'step', 'dueBefore', 'overdue', 'claimedByMe', 'limit', 'cursor']),
    );
    expect(names('GET /v1/cases')).toEqual(['portalReference']);
    expect(names('GET /v1/ops/queues/{name}/jobs')).toEqual(expect.arrayContaining(['state', 'limit', 'cursor']));
    expect(names('GET /v1/ops/cases/stuck')).toEqual(expect.arrayContaining(['olderThanSeconds', 'limit']));
    expect(names('GET /v1/ops/forecast')).toEqual(expect.arrayContaining(['asOf', 'days']));
  });

  it('gives every operation its real security, 401 when secured, and problem+json refusals', () => {
    for (const { key, operation: op } of operations) {
      const schemes = op.security.flatMap((requirement) => Object.keys(requirement));
      if (schemes.length > 0) expect([key, op.responses['401']]).toEqual([key, expect.anything()]);
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        expect([key, status, response.content?.['application/problem+json']?.schema.$ref]).toEqual([
          key,
          status,
          '#/components/schemas/Problem',
        ]);
      }
    }
    expect(operation('GET /v1/catalog/items').security).toEqual([]);
    expect(operation('POST /v1/applications').security).toEqual([{ portalApiKey: [] }]);
    expect(operation('POST /v1/tasks/{id}/decision').security).toEqual([{ staffBearer: [] }]);
  });

  it('types the bodies and answers of the case a portal and a reviewer drive', () => {
    const body = (key: string) => operation(key).requestBody?.content['application/json']?.schema.$ref;
    const answer = (key: string, status: string) =>
      operation(key).responses[status]?.content?.['application/json']?.schema.$ref;
    expect(body('POST /v1/applications')).toBe('#/components/schemas/ApplicationRequest');
    expect(body('POST /v1/tasks/{id}/decision')).toBe('#/components/schemas/DecisionRequest');
    expect(body('POST /v1/cases/{id}/withdrawal')).toBe('#/components/schemas/WithdrawalRequest');
    expect(answer('GET /v1/cases/{id}', '200')).toBe('#/components/schemas/Case');
    expect(answer('GET /v1/tasks', '200')).toBe('#/components/schemas/TaskPage');
    expect(answer('POST /v1/tasks/{id}/decision', '202')).toBe('#/components/schemas/DecisionAccepted');
  });
});
