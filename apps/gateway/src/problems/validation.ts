import { type z } from 'zod';
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
