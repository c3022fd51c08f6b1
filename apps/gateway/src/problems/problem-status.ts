/**
 * HTTP status of each domain error code. Exact codes win over prefixes; anything unknown is a 422 (the request
 * was understood but breaks a rule), never a 500, because a domain error is by definition an expected refusal.
 */
const EXACT: Record<string, number> = {
  // Reviewer tasks and staff case commands (docs/api.md, "Reviewer API").
  TASK_ALREADY_DECIDED: 409,
  TASK_CLAIMED_BY_ANOTHER: 409,
  TASK_SEPARATION_OF_DUTIES: 403,
  CASE_WRONG_STATUS: 409,
  NOT_FOUND: 404,
  CATALOG_ITEM_NOT_FOUND: 404,
  CATALOG_DIVISION_NOT_FOUND: 404,
  CATALOG_PARAMETER_NOT_FOUND: 404,
  CALENDAR_YEAR_NOT_PUBLISHED: 422,
  // A well-formed year the 2024 holiday rules cannot draft (before 2025, after 2100): the request is understood and
  // refused by a rule, like a count into an unpublished year. Not CALENDAR.INVALID's 400, which is a malformed body.
  CALENDAR_DRAFT_YEAR_UNSUPPORTED: 422,
  // The runtime cannot draft at all (no ICU Umm al-Qura calendar): said plainly, never a 500.
  CALENDAR_DRAFT_FAILED: 422,
  // Operator actions on a job or case in the wrong state for them.
  JOB_NOT_FAILED: 409,
  JOB_ACTIVE: 409,
  CASE_NOT_STUCK: 409,
  // Intake (portals): idempotency, the one-open-case rule, rate limit, items a portal may submit.
  IDEMPOTENCY_KEY_MISSING: 400,
  IDEMPOTENCY_KEY_INVALID: 400,
  IDEMPOTENCY_IN_PROGRESS: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  CASE_ALREADY_OPEN: 409,
  CASE_PORTAL_REFERENCE_TAKEN: 409,
  CASE_CLOSED: 409,
  RATE_LIMIT_EXCEEDED: 429,
  PORTAL_ITEM_NOT_ALLOWED: 403,
  // Transient failures (docs/operations.md): a dependency away, or contention after the in-request retries.
  SERVICE_UNAVAILABLE: 503,
  TRANSACTION_CONFLICT: 409,
};

const BY_PREFIX: [prefix: string, status: number][] = [
  ['VALIDATION.', 400],
  ['ID_NUMBER.', 400],
  ['PHONE.', 400],
  ['MONEY.', 400],
  ['CALENDAR.INVALID', 400],
  ['AUTH.UNAUTHENTICATED', 401],
  ['AUTH.TOKEN_', 401],
  ['AUTH.FORBIDDEN', 403],
];

export function statusForCode(code: string): number {
  const exact = EXACT[code.replace(/\./g, '_')];
  if (exact !== undefined) return exact;
  if (code.endsWith('.NOT_FOUND')) return 404;
  if (code.endsWith('.CONFLICT') || code.startsWith('CONFLICT.')) return 409;
  return BY_PREFIX.find(([prefix]) => code.startsWith(prefix))?.[1] ?? 422;
}
