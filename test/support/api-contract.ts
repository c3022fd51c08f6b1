import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Middleware } from 'openapi-fetch';

// Every answer a test receives from a documented operation is checked against the committed openapi.json: an answer
// that drifts from the document (a field renamed, a status not declared, a refusal that is not a Problem) fails the
// test that received it (docs/api.md "The API contract").

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}

const DOCUMENT_ID = 'https://minsheng.dev/openapi.json';
const document = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: Json;
};

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });

const templates = Object.keys(document.paths).map((template) => ({
  template,
  // A literal segment beats a parameter (`/v1/ops/cases/stuck` is not `/v1/ops/cases/{id}`): literals sort first.
  literals: template.split('/').filter((segment) => !segment.startsWith('{')).length,
  pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
}));
templates.sort((a, b) => b.literals - a.literals);

const compiled = new Map<string, ValidateFunction>();

function validatorFor(key: string, schema: Json): ValidateFunction {
  let validate = compiled.get(key);
  if (validate === undefined) {
    const absolute = JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', `"$ref":"${DOCUMENT_ID}#/`)) as Json;
    validate = ajv.compile(absolute);
    compiled.set(key, validate);
  }
  return validate;
}

/** The documented operation `method url` names, or undefined (the dashboard, the board UI, unknown URLs). */
function documentedOperation(method: string, url: string): { template: string; operation: Operation } | undefined {
  const pathname = new URL(url, 'http://localhost').pathname;
  const template = templates.find((candidate) => candidate.pattern.test(pathname))?.template;
  const operation = template === undefined ? undefined : document.paths[template]?.[method.toLowerCase()];
  return template === undefined || operation === undefined ? undefined : { template, operation };
}

/**
 * Throws when `body` (already parsed) is not what the document says `method path` answers with `status`. Routes the
 * document does not describe (the dashboard, unknown URLs) are not checked.
 */
export function assertDocumentedAnswer(
  method: string,
  url: string,
  status: number,
  contentType: string | null,
  body: unknown,
): void {
  const documented = documentedOperation(method, url);
  if (documented === undefined) return;
  const { template, operation } = documented;
  const where = `${method.toUpperCase()} ${template} → ${status}`;
  const response = operation.responses[String(status)];
  if (response === undefined) throw new Error(`${where}: the document declares no such answer`);
  if (status === 304 || status === 204) return;
  const mediaType = (contentType ?? '').split(';')[0]!.trim();
  const declared = response.content?.[mediaType];
  if (declared === undefined) {
    throw new Error(
      `${where}: answered ${mediaType || 'no content type'}, the document says ${Object.keys(response.content ?? {}).join(', ') || 'no body'}`,
    );
  }
  if (!mediaType.endsWith('json')) return;
  const validate = validatorFor(`${where} ${mediaType}`, declared.schema);
  if (!validate(body)) {
    const reasons = (validate.errors ?? []).map(
      (error) => `${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
    );
    throw new Error(`${where}: the answer does not match openapi.json: ${reasons.join('; ')}`);
  }
}

/** The body as the test will see it: JSON parsed, anything else as text. */
function parsed(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return text;
  }
}

const CHECKED = Symbol('answers checked against openapi.json');
type CheckedFetch = typeof fetch & { [CHECKED]?: true };

/**
 * `fetch` that checks the answer of every documented operation against the document before handing it over (a copy:
 * the caller still reads the body). Calls to anything else are passed through unread. Installed for every
 * integration and end-to-end test (`documented-fetch.ts`), so raw `fetch` calls are checked like the helpers' are.
 */
export function documentedFetch(underlying: typeof fetch): typeof fetch {
  if ((underlying as CheckedFetch)[CHECKED]) return underlying;
  const checked: CheckedFetch = async (input, init) => {
    const response = await underlying(input, init);
    const request = typeof input === 'object' && 'method' in input ? input : undefined;
    const method = init?.method ?? request?.method ?? 'GET';
    const url = request?.url ?? String(input);
    if (documentedOperation(method, url) !== undefined) {
      const body = parsed(await response.clone().text());
      assertDocumentedAnswer(method, url, response.status, response.headers.get('content-type'), body);
    }
    return response;
  };
  checked[CHECKED] = true;
  return checked;
}

/** openapi-fetch middleware: checks every answer the typed client receives. */
export const documentedAnswers: Middleware = {
  async onResponse({ request, response }) {
    const body = parsed(await response.clone().text());
    assertDocumentedAnswer(request.method, request.url, response.status, response.headers.get('content-type'), body);
    return undefined;
  },
};
