/**
 * HTTP status of each domain error code. Exact codes win over prefixes; anything unknown is a 422 (the request
 * was understood but breaks a rule), never a 500, because a domain error is by definition an expected refusal.
 */
const EXACT: Record<string, number> = {
  NOT_FOUND: 404,
  CATALOG_ITEM_NOT_FOUND: 404,
  CALENDAR_YEAR_NOT_PUBLISHED: 422,
};

const BY_PREFIX: [prefix: string, status: number][] = [
  ['VALIDATION.', 400],
  ['ID_NUMBER.', 400],
  ['PHONE.', 400],
  ['MONEY.', 400],
  ['CALENDAR.INVALID', 400],
  ['AUTH.UNAUTHENTICATED', 401],
  ['AUTH.FORBIDDEN', 403],
];

export function statusForCode(code: string): number {
  const exact = EXACT[code.replace(/\./g, '_')];
  if (exact !== undefined) return exact;
  if (code.endsWith('.NOT_FOUND')) return 404;
  if (code.endsWith('.CONFLICT') || code.startsWith('CONFLICT.')) return 409;
  return BY_PREFIX.find(([prefix]) => code.startsWith(prefix))?.[1] ?? 422;
}
