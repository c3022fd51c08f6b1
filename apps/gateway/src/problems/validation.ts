import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { DomainError } from '@minsheng/domain';

/** Where a refused value came from; it prefixes nothing, but names the part of the request in the message. */
export type RequestPart = 'body' | 'query' | 'header' | 'path';

export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/** Zod issues as the problem+json `errors` list: one entry per offending field (an unknown key is its own field). */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: at ? `${at}.${key}` : key,
        code: 'UNRECOGNIZED_KEY',
        message: `unknown field ${key}`,
      }));
    }
    return [{ field: at, code: issue.code.toUpperCase(), message: issue.message }];
  });
}

/**
 * Parses a request part with a (strict) zod schema, or throws `VALIDATION.FAILED` (400) whose problem+json body
 * lists every offending field.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: RequestPart): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const errors = fieldErrorsOf(parsed.error.issues);
  throw new DomainError('VALIDATION.FAILED', `the request ${where} is not valid`, { errors });
}

/** How deeply `value` nests (a scalar is 0), counting no further than `cap`. */
function depthOf(value: unknown, cap: number): number {
  if (value === null || typeof value !== 'object' || cap === 0) return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, cap - 1));
  return 1 + deepest;
}

/** Free-form JSON with a nesting depth and a size (bytes of its UTF-8 JSON text) it must stay within. */
export function boundedJson<S extends z.ZodType>(schema: S, limits: { maxDepth: number; maxBytes: number }) {
  return schema
    .refine((value) => depthOf(value, limits.maxDepth + 1) <= limits.maxDepth, {
      message: `must not nest deeper than ${limits.maxDepth} levels`,
      abort: true,
    })
    .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= limits.maxBytes, {
      message: `must not be larger than ${limits.maxBytes} bytes as JSON`,
    });
}

const uuid = z.uuid();

/**
 * `@Param('id', UuidParam)`: the parameter must be a UUID before any SQL sees it (`::uuid` would fail with a 500),
 * or 400 `VALIDATION.FAILED` naming the parameter.
 */
@Injectable()
export class UuidParam implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const name = metadata.data ?? 'id';
    return parseOrThrow(z.object({ [name]: uuid }), { [name]: value }, 'path')[name]!;
  }
}
