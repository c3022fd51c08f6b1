import { statusForCode } from './problem-status.js';

describe('statusForCode', () => {
  it.each([
    ['ID_NUMBER.BAD_CHECK_DIGIT', 400],
    ['VALIDATION.FAILED', 400],
    ['AUTH.UNAUTHENTICATED', 401],
    ['AUTH.FORBIDDEN', 403],
    ['CATALOG.ITEM_NOT_FOUND', 404],
    ['TASK.NOT_FOUND', 404],
    ['TASK.CONFLICT', 409],
    ['CALENDAR.YEAR_NOT_PUBLISHED', 422],
    ['CALENDAR.DRAFT_YEAR_UNSUPPORTED', 422],
    ['CALENDAR.DRAFT_FAILED', 422],
    ['CALENDAR.INVALID', 400],
    ['SERVICE.UNAVAILABLE', 503],
    ['TRANSACTION.CONFLICT', 409],
    ['SOMETHING.NEW', 422],
  ])('%s → %i', (code, status) => {
    expect(statusForCode(code)).toBe(status);
  });
});
