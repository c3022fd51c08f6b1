import { type FastifyRequest } from 'fastify';
import { DomainError } from '@minsheng/domain';
import { type FieldError, type RequestPart } from './validation.js';

/**
 * How deeply any JSON body may nest. The deepest valid body (an application's household member income) nests 5
 * levels; a body 10,000 levels deep once overflowed the stack further down (docs/input.md).
 */
export const MAX_JSON_DEPTH = 32;

/** A NUL, or a UTF-16 surrogate without its partner: PostgreSQL stores neither in `text` or `jsonb`. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A key as it may be quoted back in a field path: unstorable characters written as `\uXXXX`. */
function printable(key: string): string {
  return key.replace(
    /\u0000|[\uD800-\uDFFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

function stringProblem(text: string, field: string): FieldError | undefined {
  const found = UNSTORABLE.exec(text);
  if (!found) return undefined;
  return found[0] === '\u0000'
    ? { field, code: 'NUL_CHARACTER', message: 'must not contain the NUL character (U+0000)' }
    : { field, code: 'INVALID_UNICODE', message: 'must be valid Unicode (a UTF-16 surrogate has no partner)' };
}

/** The dotted field path of `keys` below `at`, keys made printable (built only for a refusal). */
function fieldOf(at: string, keys: readonly string[]): string {
  let field = at;
  for (const key of keys) field = field ? `${field}.${printable(key)}` : printable(key);
  return field;
}

/**
 * The first value in a decoded request part that could not be stored or would nest too deep, as a field error
 * (path dotted like the zod errors). The walk stops at `MAX_JSON_DEPTH`, so no input can overflow the stack.
 */
export function unacceptableValue(value: unknown, at = ''): FieldError | undefined {
  // The path is kept as the keys walked and written out only when something is refused: every body of every
  // request is walked, and building each key's path string was most of the walk's cost (bench/profiles/intake.md).
  const keys: string[] = [];
  const walk = (node: unknown, depth: number): FieldError | undefined => {
    if (typeof node === 'string') return UNSTORABLE.test(node) ? stringProblem(node, fieldOf(at, keys)) : undefined;
    if (node === null || typeof node !== 'object') return undefined;
    if (depth >= MAX_JSON_DEPTH) {
      return {
        field: fieldOf(at, keys),
        code: 'TOO_DEEP',
        message: `must not nest deeper than ${MAX_JSON_DEPTH} levels`,
      };
    }
    for (const key of Object.keys(node)) {
      keys.push(key);
      const problem =
        (UNSTORABLE.test(key) ? stringProblem(key, fieldOf(at, keys)) : undefined) ??
        walk((node as Record<string, unknown>)[key], depth + 1);
      if (problem) return problem;
      keys.pop();
    }
    return undefined;
  };
  return walk(value, 0);
}

/**
 * Fastify `preValidation` hook for every route: path parameters, query and body must be storable text (no NUL, no
 * lone surrogate, `%00` included once decoded) and not nested too deep, before any guard, pipe or SQL sees them.
 * One place, so a new route cannot forget it; a refusal is the usual 400 `VALIDATION.FAILED` naming the field.
 */
export async function refuseUnstorableInput(request: FastifyRequest): Promise<void> {
  const parts: [RequestPart, unknown][] = [
    ['path', request.params],
    ['query', request.query],
    ['body', request.body],
  ];
  for (const [where, value] of parts) {
    const problem = unacceptableValue(value);
    if (problem) {
      throw new DomainError('VALIDATION.FAILED', `the request ${where} is not valid`, { errors: [problem] });
    }
  }
}
