import { readFileSync } from 'node:fs';
import { breakingChanges } from '../../scripts/openapi-compat.js';

// Within v1 the contract only grows (docs/api.md "Versioning"): the check must see each kind of break.
const current = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }>; required?: string[] }> };
};
const copy = (): typeof current => structuredClone(current);

describe('the v1 compatibility check', () => {
  it('finds nothing between a document and itself, nor when an operation or a field is added', () => {
    const grown = copy();
    grown.paths['/v1/new-thing'] = { get: { responses: { '200': { description: 'OK' } } } };
    grown.components.schemas['Case']!.properties['newField'] = { enum: ['x'] };
    expect(breakingChanges(current, current)).toEqual([]);
    expect(breakingChanges(current, grown)).toEqual([]);
  });

  it('reports a removed operation, answer field and enum value, and a newly required request field', () => {
    const broken = copy();
    delete broken.paths['/v1/tasks/{id}/claim'];
    delete broken.components.schemas['Case']!.properties['dueAt'];
    const reasons = broken.components.schemas['WithdrawalRequest']!.properties['reason']!;
    reasons.enum = reasons.enum!.filter((value) => value !== 'other');
    broken.components.schemas['DecisionRequest']!.required!.push('comment');
    expect(breakingChanges(current, broken)).toEqual(
      expect.arrayContaining([
        'POST /v1/tasks/{id}/claim: operation removed',
        'GET /v1/cases/{id} 200.dueAt: field removed',
        'POST /v1/cases/{id}/withdrawal body.reason: enum value "other" removed',
        'POST /v1/tasks/{id}/decision body.comment: newly required',
      ]),
    );
  });
});
