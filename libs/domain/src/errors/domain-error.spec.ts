import { DomainError, isRetryable } from './domain-error.js';

describe('DomainError', () => {
  it.each([
    ['ID_NUMBER.BAD_CHECK_DIGIT', 400, false],
    ['AUTH.UNAUTHENTICATED', 401, false],
    ['TASK.SEPARATION_OF_DUTIES', 403, false],
    ['CATALOG.ITEM_NOT_FOUND', 404, false],
    ['CASE.ALREADY_OPEN', 409, false],
    ['CALENDAR.YEAR_NOT_PUBLISHED', 422, false],
    ['RATE_LIMIT.EXCEEDED', 429, true],
    ['CASE.STALE_WRITE', 409, true],
    ['SERVICE.UNAVAILABLE', 503, true],
  ] as const)('%s → %i, retryable: %s', (code, status, retryable) => {
    const error = new DomainError(code, 'message');
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
    expect(isRetryable(error)).toBe(retryable);
  });

  it('is not retryable unless it is a retryable domain error', () => {
    expect(isRetryable(new Error('boom'))).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
  });
});
