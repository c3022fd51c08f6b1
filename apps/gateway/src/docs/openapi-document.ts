import 'reflect-metadata';
import { RequestMethod, type Type } from '@nestjs/common';
import { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode } from '@minsheng/domain';
import { ROLES_KEY } from '../auth/staff-auth.guard.js';
import { featureModules } from '../gateway.module.js';
import { PortalAuthGuard } from '../portals/portal-auth.guard.js';
import { requestSchemas, responseSchemas } from './api-schemas.js';
import { OPERATIONS, type OperationContract } from './operations.js';

type Json = Record<string, unknown>;

// Metadata keys of @nestjs/common's and @nestjs/swagger's decorators; neither package exports them from its root.
const PATH_METADATA = 'path';
const METHOD_METADATA = 'method';
const HTTP_CODE_METADATA = '__httpCode__';
const GUARDS_METADATA = '__guards__';
const DECORATORS = {
  API_OPERATION: 'swagger/apiOperation',
  API_RESPONSE: 'swagger/apiResponse',
  API_TAGS: 'swagger/apiUseTags',
  API_PARAMETERS: 'swagger/apiParameters',
} as const;

/** The version of the contract (docs/api.md "Versioning"): additive changes within v1 raise the minor number. */
export const API_VERSION = '1.0.0';

const PROBLEM_JSON = 'application/problem+json';
const problemRef = { $ref: '#/components/schemas/Problem' };

const TITLES: Record<number, string> = {
  400: 'The request is not valid: VALIDATION.FAILED (errors[] per field), REQUEST.BAD_URL, unstorable input',
  401: 'No valid credentials (AUTH.UNAUTHENTICATED, AUTH.TOKEN_*)',
  403: 'The caller may not do this (AUTH.FORBIDDEN)',
  404: 'Not found, or outside the caller’s scope',
  409: 'Conflict with the current state',
  413: 'The body is over 256 KiB (REQUEST.TOO_LARGE)',
  414: 'A path parameter is over 100 characters (REQUEST.PARAMETER_TOO_LONG)',
  422: 'Understood, but refused by a rule',
  429: 'Rate limit exceeded (RATE_LIMIT.EXCEEDED), with Retry-After',
  503: 'A dependency is unavailable (SERVICE.UNAVAILABLE), with Retry-After',
};

const CATALOGUE_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/**
 * The codes of the error catalogue (docs/errors.md) a refusal's description names, as far as the catalogue gives them
 * that status: `AUTH.TOKEN_*` stands for every code with that prefix. Rendered as the response's `x-error-codes`, so a
 * client can switch on `code` without reading prose.
 */
export function errorCodesNamed(status: number, description: string): ErrorCode[] {
  const named = new Set<ErrorCode>();
  for (const [, word, wildcard] of description.matchAll(/\b([A-Z][A-Z_]*(?:\.[A-Z_]+)+)(\*)?/g)) {
    for (const code of CATALOGUE_CODES) {
      if (wildcard ? code.startsWith(word!) : code === word) named.add(code);
    }
  }
  return [...named].filter((code) => ERROR_CATALOGUE[code].status === status).sort();
}

/** What each controller tag groups; a tag without a line here is listed with its name alone. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  applications: 'Portals submit applications (x-api-key).',
  calendar: 'Working-day calendars and due dates: public reads, operator publication.',
  'cases (portal)': 'A portal follows and acts on the cases it submitted.',
  'cases (staff)': 'Staff read a case of their office, its events and hash chain; objections and extensions.',
  catalog: 'The public catalog: domains, items, departments, divisions, parameters.',
  console: 'How the console signs staff in (public: no secret, read before sign-in).',
  development: 'Development only: the console’s sample staff and their sign-in (refused in production).',
  health: 'Liveness and readiness for orchestrators.',
  metrics: 'Prometheus metrics for operators.',
  payments: 'Entitlements after approval, monthly payment runs, bank files and results (operators and finance).',
  operators: 'Queues, stuck cases, traces, forecasts, satisfaction results and the dashboard session.',
  reports: 'The expenditure report from the payment lines actually paid (operators and finance).',
  public: 'Public reports: the attainment of statutory time limits per item and district.',
  sla: 'Statutory clocks of a case and the SLA board.',
  'tasks (reviewers)': 'The reviewer inbox: claim, release and decide tasks.',
  webhooks: 'A portal registers signed webhook endpoints for its case events; delivery log and replays.',
};

interface Route {
  readonly method: string;
  readonly path: string;
  readonly controller: Type;
  readonly handler: (...args: never[]) => unknown;
}

function joinPath(...parts: string[]): string {
  const joined = parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `{${segment.slice(1)}}` : segment))
    .join('/');
  return `/${joined}`;
}

/** Every route of the gateway's controllers, from Nest's own metadata: the document cannot miss or invent one. */
export function gatewayRoutes(): Route[] {
  const controllers = featureModules.flatMap(
    (module) => (Reflect.getMetadata('controllers', module) as Type[] | undefined) ?? [],
  );
  return controllers.flatMap((controller) => {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
    const proto = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto).flatMap((name) => {
      const handler = proto[name];
      if (typeof handler !== 'function' || name === 'constructor') return [];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) return [];
      return [
        {
          method: RequestMethod[method],
          path: joinPath(base, path),
          controller,
          handler: handler as Route['handler'],
        },
      ];
    });
  });
}

function metadata<T>(key: string, route: Route): T | undefined {
  return (Reflect.getMetadata(key, route.handler) ?? Reflect.getMetadata(key, route.controller)) as T | undefined;
}

type Access = { kind: 'public' } | { kind: 'portal' } | { kind: 'staff'; roles: string[] };

/** The security an operation really has: the portal guard, a staff role, or none. */
function accessOf(route: Route): Access {
  const roles = metadata<string[]>(ROLES_KEY, route);
  if (roles !== undefined) return { kind: 'staff', roles };
  const guards = [
    ...((Reflect.getMetadata(GUARDS_METADATA, route.controller) as unknown[] | undefined) ?? []),
    ...((Reflect.getMetadata(GUARDS_METADATA, route.handler) as unknown[] | undefined) ?? []),
  ];
  return guards.includes(PortalAuthGuard) ? { kind: 'portal' } : { kind: 'public' };
}

/** zod → JSON Schema 2020-12 (what OpenAPI 3.1 uses), named schemas as `$ref`s into `components.schemas`. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const registry = io === 'input' ? requestSchemas : responseSchemas;
  const named = registry.get(schema)?.id;
  if (named !== undefined) return { $ref: `#/components/schemas/${named}` };
  // Parameters only: bodies and answers are named components, so nothing nested needs a reference here.
  const converted = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'throw' }) as Json;
  if (converted['$defs'] !== undefined) throw new Error('a parameter schema must not nest named schemas');
  delete converted['$schema'];
  return converted;
}

function components(registry: typeof requestSchemas, io: 'input' | 'output'): Record<string, Json> {
  const { schemas } = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'throw',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema;
      return [id, rest];
    }),
  );
}

function parametersOf(route: Route, contract: OperationContract): Json[] {
  const parameters: Json[] = [];
  for (const name of [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!)) {
    const schema = contract.path?.[name];
    parameters.push({
      name,
      in: 'path',
      required: true,
      schema: schema ? jsonSchema(schema, 'input') : { type: 'string', maxLength: 100 },
    });
  }
  if (contract.query) {
    const query = jsonSchema(contract.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: 'query',
        required: query.required?.includes(name) ?? false,
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      });
    }
  }
  // Headers the handler reads besides credentials (the security schemes say those).
  const declared = (Reflect.getMetadata(DECORATORS.API_PARAMETERS, route.handler) as Json[] | undefined) ?? [];
  for (const header of declared.filter((p) => p['in'] === 'header' && p['name'] !== 'x-api-key')) {
    parameters.push({
      name: header['name'],
      in: 'header',
      required: header['required'] ?? false,
      ...(header['description'] ? { description: header['description'] } : {}),
      schema: /^idempotency-key$/i.test(String(header['name']))
        ? { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' }
        : { type: 'string' },
    });
  }
  return parameters;
}

function successStatus(route: Route, declared: Record<string, Json>): string {
  const explicit = Object.keys(declared).find((status) => status.startsWith('2'));
  if (explicit !== undefined) return explicit;
  const code = Reflect.getMetadata(HTTP_CODE_METADATA, route.handler) as number | undefined;
  return String(code ?? (route.method === 'POST' ? 201 : 200));
}

function operationOf(route: Route, contract: OperationContract): Json {
  const summary = metadata<Json>(DECORATORS.API_OPERATION, route) ?? {};
  const tags = metadata<string[]>(DECORATORS.API_TAGS, route) ?? [];
  const declared = (Reflect.getMetadata(DECORATORS.API_RESPONSE, route.handler) as Record<string, Json>) ?? {};
  const access = accessOf(route);
  const ok = successStatus(route, declared);
  const responses: Record<string, Json> = {};
  const okDescription = (declared[ok]?.['description'] as string | undefined) ?? 'OK';
  if (contract.answer === 'empty') responses[ok] = { description: okDescription };
  else if (contract.answer === 'text' || contract.answer === 'csv') {
    const media = contract.answer === 'text' ? 'text/plain' : 'text/csv';
    responses[ok] = { description: okDescription, content: { [media]: { schema: { type: 'string' } } } };
  } else {
    const example = exampleOf(declared[ok]);
    responses[ok] = {
      description: okDescription,
      content: {
        'application/json': { schema: jsonSchema(contract.answer, 'output'), ...(example ? { example } : {}) },
        ...(contract.csv === true ? { 'text/csv': { schema: { type: 'string' } } } : {}),
      },
    };
  }
  const problem = (status: number, description?: string) => {
    const text = description ?? TITLES[status] ?? 'Refused';
    const codes = errorCodesNamed(status, `${text} ${description === undefined ? '' : (TITLES[status] ?? '')}`);
    responses[String(status)] = {
      description: text,
      ...(codes.length > 0 ? { 'x-error-codes': codes } : {}),
      content: { [PROBLEM_JSON]: { schema: problemRef } },
    };
  };
  // Every route can refuse a malformed URL or unstorable text (docs/input.md) before its handler runs.
  problem(400);
  if (access.kind !== 'public') problem(401);
  if (access.kind === 'staff') problem(403);
  if (access.kind === 'portal') problem(429);
  // A path names a resource: it may not exist, or lie outside the caller's scope (404, never 403).
  // The router refuses a path parameter over 100 characters before any handler (REQUEST.PARAMETER_TOO_LONG).
  if (route.path.includes('{')) {
    problem(404);
    problem(414);
  }
  if (contract.body !== undefined) problem(413);
  for (const [status, response] of Object.entries(declared)) {
    const code = Number(status);
    if (code >= 300 && code < 400) responses[status] = { description: String(response['description'] ?? 'Redirect') };
    if (code < 400) continue;
    const described = response['description'];
    problem(code, typeof described === 'string' ? described : undefined);
  }
  problem(503);

  const operation: Json = {
    operationId: `${route.controller.name.replace(/Controller$/, '')}_${route.handler.name}`,
    summary: summary['summary'],
    ...(summary['description'] ? { description: summary['description'] } : {}),
    tags,
  };
  operation['operationId'] = lowerFirst(operation['operationId'] as string);
  if (operation['summary'] === undefined) delete operation['summary'];
  const parameters = parametersOf(route, contract);
  if (parameters.length > 0) operation['parameters'] = parameters;
  if (contract.body !== undefined) {
    const declaredBody = (
      (Reflect.getMetadata(DECORATORS.API_PARAMETERS, route.handler) as Json[] | undefined) ?? []
    ).find((p) => p['in'] === 'body');
    const example = exampleOf(declaredBody);
    operation['requestBody'] = {
      required: true,
      content: {
        'application/json': { schema: jsonSchema(contract.body, 'input'), ...(example ? { example } : {}) },
      },
    };
  }
  operation['responses'] = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  operation['security'] =
    access.kind === 'public' ? [] : access.kind === 'portal' ? [{ portalApiKey: [] }] : [{ staffBearer: [] }];
  if (access.kind === 'staff') operation['x-roles'] = access.roles;
  return operation;
}

/** The example a controller's `@ApiResponse`/`@ApiBody` gives, if any. */
function exampleOf(declared: Json | undefined): unknown {
  return declared?.['example'] ?? (declared?.['schema'] as Json | undefined)?.['example'];
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * The OpenAPI 3.1 document of the gateway: routes, roles, summaries and declared refusals from the controllers;
 * bodies, parameters and answers from the zod schemas of `OPERATIONS`. Deterministic: the same code gives the same
 * bytes, so the committed `openapi.json` can be compared with it. `complete: false` (the document a running gateway
 * serves) lists a route without an entry in `OPERATIONS` instead of refusing to start; the generator and its check
 * always require every entry.
 */
export function buildOpenApiDocument(options: { complete: boolean } = { complete: true }): Json {
  const routes = gatewayRoutes();
  const keys = new Set(routes.map((route) => `${route.method} ${route.path}`));
  const missing = [...keys].filter((key) => OPERATIONS[key] === undefined);
  const stale = Object.keys(OPERATIONS).filter((key) => !keys.has(key));
  if (options.complete && (missing.length > 0 || stale.length > 0)) {
    throw new Error(
      `apps/gateway/src/docs/operations.ts does not match the routes: no entry for [${missing.join(', ')}]; ` +
        `no route for [${stale.join(', ')}]`,
    );
  }
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    paths[route.path] ??= {};
    const contract = OPERATIONS[`${route.method} ${route.path}`];
    paths[route.path]![route.method.toLowerCase()] = contract
      ? operationOf(route, contract)
      : { ...operationOf(route, { answer: 'empty' }), 'x-contract-missing': true };
  }
  const tags = [...new Set(Object.values(paths).flatMap((ops) => Object.values(ops).flatMap((op) => op['tags'])))]
    .map(String)
    .sort()
    .map((name) => (TAG_DESCRIPTIONS[name] ? { name, description: TAG_DESCRIPTIONS[name] } : { name }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'minsheng API',
      version: API_VERSION,
      description:
        'Case-workflow backend for the Urumqi Basic Public Service Standard (2023): catalog, applications, ' +
        'reviewer tasks and operator views. Errors are application/problem+json (RFC 9457). Versioning: docs/api.md.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'a local gateway (`npm start`)' }],
    tags,
    paths,
    components: {
      securitySchemes: {
        portalApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: 'A portal’s key, `msk_<prefix>_<secret>` (also accepted as `Authorization: ApiKey …`).',
        },
        staffBearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A staff token; the roles an operation needs are listed in its `x-roles`.',
        },
      },
      schemas: sortKeys({ ...components(requestSchemas, 'input'), ...components(responseSchemas, 'output') }),
    },
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
