import { readFileSync } from 'node:fs';

// Every success answer of the document is typed to its leaves (docs/api.md "The API contract"): no object of
// unknown shape, no field of any type, no object that admits undeclared fields, except the fields that are open on
// purpose, listed here with the component they belong to.
const OPEN_ON_PURPOSE = new Set([
  'CaseEvent.payload',
  'Event.payload',
  'StaffCase.facts',
  'StaffCase.entitlement',
  'TaskDetail.task.decision',
  'TaskDetail.task.details',
  'TaskDetail.case.facts',
  'TaskDetail.case.entitlement',
  'TaskDetail.applicant.application',
  'CaseReplay.divergences[].stored',
  'CaseReplay.divergences[].replayed',
  'EntitlementList.items[].basis',
]);

type Json = Record<string, any>;
const document = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as Json;
const TYPE_KEYWORDS = ['type', '$ref', 'anyOf', 'oneOf', 'allOf', 'enum', 'const'];

function untyped(): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (schema: Json | undefined, where: string): void => {
    if (schema === undefined || OPEN_ON_PURPOSE.has(where)) return;
    if (typeof schema['$ref'] === 'string') {
      const name = (schema['$ref'] as string).split('/').pop()!;
      if (seen.has(name)) return;
      seen.add(name);
      walk(document['components']['schemas'][name], name);
      return;
    }
    if (!TYPE_KEYWORDS.some((keyword) => keyword in schema)) found.push(`${where}: any JSON`);
    const types = ([] as unknown[]).concat(schema['type']);
    if (types.includes('object')) {
      const extra = schema['additionalProperties'];
      const typedMap = typeof extra === 'object' && Object.keys(extra).length > 0;
      if (schema['properties'] === undefined && !typedMap) found.push(`${where}: an object of unknown shape`);
      if (schema['properties'] !== undefined && extra !== false) found.push(`${where}: admits undeclared fields`);
      if (typedMap) walk(extra, `${where}{}`);
    }
    for (const [name, property] of Object.entries((schema['properties'] ?? {}) as Record<string, Json>)) {
      walk(property, `${where}.${name}`);
    }
    if (schema['items'] !== undefined) walk(schema['items'], `${where}[]`);
    for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
      for (const part of (schema[keyword] ?? []) as Json[]) walk(part, where);
    }
  };
  for (const [path, operations] of Object.entries(document['paths'] as Record<string, Json>)) {
    for (const [method, operation] of Object.entries(operations)) {
      for (const [status, response] of Object.entries((operation['responses'] ?? {}) as Record<string, Json>)) {
        if (!status.startsWith('2')) continue;
        for (const media of Object.values((response['content'] ?? {}) as Record<string, Json>)) {
          walk(media['schema'], `${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
  }
  return found;
}

describe('the success answers of openapi.json', () => {
  it('are typed to their leaves, but for the fields open on purpose', () => {
    expect(untyped()).toEqual([]);
  });
});
