import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Within v1 the API changes only by addition (docs/api.md "Versioning"). This compares a released document (the
 * baseline) with the current one and lists every change a v1 client could break on: an operation, parameter, answer
 * or answer field removed; an enum value removed; a request field or parameter that became required.
 */

type Json = Record<string, unknown>;
interface Document {
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function resolve(document: Document, schema: unknown): Json | undefined {
  let current = schema as Json | undefined;
  for (let hops = 0; hops < 20 && typeof current?.['$ref'] === 'string'; hops++) {
    const name = (current['$ref'] as string).replace('#/components/schemas/', '');
    current = document.components?.schemas?.[name] as Json | undefined;
  }
  return current;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function breakingChanges(before: Document, after: Document): string[] {
  const found: string[] = [];
  const seen = new Set<string>();

  const compare = (was: unknown, now: unknown, where: string, side: 'request' | 'response'): void => {
    // A pair of named schemas is compared once, wherever it occurs: a recursive schema (a division's children)
    // would otherwise be walked without end.
    const ref = (schema: unknown) => (schema as Json | undefined)?.['$ref'];
    const refs = typeof ref(was) === 'string' && typeof ref(now) === 'string' ? `${ref(was)} ${ref(now)}` : undefined;
    const key = `${side} ${refs ?? where}`;
    if (seen.has(key)) return;
    seen.add(key);
    const a = resolve(before, was);
    const b = resolve(after, now);
    if (a === undefined || b === undefined) return;
    if (Array.isArray(a['enum']) && Array.isArray(b['enum'])) {
      for (const value of a['enum']) {
        if (!b['enum'].includes(value)) found.push(`${where}: enum value ${JSON.stringify(value)} removed`);
      }
    }
    if (a['const'] !== undefined && b['const'] !== undefined && a['const'] !== b['const']) {
      found.push(`${where}: constant ${JSON.stringify(a['const'])} changed`);
    }
    const aProps = (a['properties'] ?? {}) as Record<string, unknown>;
    const bProps = (b['properties'] ?? {}) as Record<string, unknown>;
    for (const [name, schema] of Object.entries(aProps)) {
      if (!(name in bProps)) {
        if (side === 'response') found.push(`${where}.${name}: field removed`);
        else if (b['additionalProperties'] === false) found.push(`${where}.${name}: field no longer accepted`);
        continue;
      }
      compare(schema, bProps[name], `${where}.${name}`, side);
    }
    if (side === 'request') {
      const required = new Set(asArray(a['required']));
      for (const name of asArray(b['required'])) {
        if (!required.has(name)) found.push(`${where}.${String(name)}: newly required`);
      }
    } else {
      const required = new Set(asArray(b['required']));
      for (const name of asArray(a['required'])) {
        if (!required.has(name) && String(name) in bProps)
          found.push(`${where}.${String(name)}: no longer always present`);
      }
    }
    if (a['items'] !== undefined && b['items'] !== undefined) compare(a['items'], b['items'], `${where}[]`, side);
    for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
      const aParts = asArray(a[keyword]);
      const bParts = asArray(b[keyword]);
      if (aParts.length === bParts.length) {
        aParts.forEach((part, i) => compare(part, bParts[i], `${where}<${keyword} ${i}>`, side));
      }
    }
  };

  for (const [path, operations] of Object.entries(before.paths ?? {})) {
    for (const method of METHODS) {
      const was = operations[method] as Json | undefined;
      if (was === undefined) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const now = after.paths?.[path]?.[method] as Json | undefined;
      if (now === undefined) {
        found.push(`${where}: operation removed`);
        continue;
      }
      const params = (operation: Json) =>
        new Map(
          asArray(operation['parameters']).map((p) => [`${(p as Json)['in']} ${(p as Json)['name']}`, p as Json]),
        );
      const wasParams = params(was);
      const nowParams = params(now);
      for (const [name, parameter] of wasParams) {
        const current = nowParams.get(name);
        if (current === undefined) found.push(`${where}: parameter ${name} removed`);
        else compare(parameter['schema'], current['schema'], `${where} parameter ${name}`, 'request');
      }
      for (const [name, parameter] of nowParams) {
        if (!wasParams.has(name) && parameter['required'] === true) found.push(`${where}: parameter ${name} required`);
      }
      const bodyOf = (operation: Json) =>
        ((operation['requestBody'] as Json | undefined)?.['content'] as Record<string, Json> | undefined)?.[
          'application/json'
        ]?.['schema'];
      if (bodyOf(was) !== undefined) compare(bodyOf(was), bodyOf(now), `${where} body`, 'request');
      else if ((now['requestBody'] as Json | undefined)?.['required'] === true) {
        found.push(`${where}: a body is now required`);
      }
      const wasResponses = (was['responses'] ?? {}) as Record<string, Json>;
      const nowResponses = (now['responses'] ?? {}) as Record<string, Json>;
      for (const [status, response] of Object.entries(wasResponses)) {
        if (!status.startsWith('2')) continue;
        const current = nowResponses[status];
        if (current === undefined) {
          found.push(`${where}: answer ${status} removed`);
          continue;
        }
        const content = (response['content'] ?? {}) as Record<string, Json>;
        const currentContent = (current['content'] ?? {}) as Record<string, Json>;
        for (const [mediaType, media] of Object.entries(content)) {
          if (currentContent[mediaType] === undefined) found.push(`${where} ${status}: ${mediaType} removed`);
          else compare(media['schema'], currentContent[mediaType]['schema'], `${where} ${status}`, 'response');
        }
      }
    }
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [baselineFile = 'openapi.v1-baseline.json', currentFile = 'openapi.json'] = process.argv.slice(2);
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Document;
  const changes = breakingChanges(read(baselineFile), read(currentFile));
  if (changes.length > 0) {
    console.error(`${currentFile} breaks v1 clients of ${baselineFile} (docs/api.md "Versioning"):`);
    for (const change of changes) console.error(`  ${change}`);
    process.exit(1);
  }
  console.log(`${currentFile} only adds to ${baselineFile}`);
}
