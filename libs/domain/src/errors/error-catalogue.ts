/**
 * Every error code minsheng answers with, in one place (rendered as docs/errors.md by `npm run docs:errors`).
 *
 * - `status`: the HTTP status of the problem+json answer. Codes that only ever appear as a field error inside a
 *   `VALIDATION.FAILED` answer carry 400, the status of that answer.
 * - `retryable`: whether the same request or job may succeed later unchanged (a dependency away, contention, a
 *   request still running). The worker retries these with backoff and fails every other code at once with BullMQ's
 *   `UnrecoverableError`; HTTP clients may repeat these after `Retry-After`.
 * - `meaning`: one line, for the docs and for whoever reads a failed job.
 *
 * A code that is not here does not type-check (`DomainError` takes an {@link ErrorCode}), and a unit test refuses
 * any code-shaped literal in apps/ and libs/ that is missing.
 */
export interface ErrorEntry {
  readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 414 | 422 | 429 | 500 | 503;
  readonly retryable: boolean;
  readonly meaning: string;
}

const refusal = (status: ErrorEntry['status'], meaning: string): ErrorEntry => ({ status, retryable: false, meaning });
const transient = (status: ErrorEntry['status'], meaning: string): ErrorEntry => ({ status, retryable: true, meaning });

export const ERROR_CATALOGUE = {
  // Applications (field errors of a submitted application, docs/api.md "Applications API").
  'APPLICATION.BANK_ACCOUNT_REQUIRED': refusal(400, 'the item pays money, so the application must name a bank account'),
  'APPLICATION.DETAIL_NOT_APPLICABLE': refusal(400, "a `details` entry the item's procedure does not use"),
  'APPLICATION.DETAIL_REQUIRED': refusal(400, "a `details` entry the item's procedure needs is missing"),
  'APPLICATION.WINDOW_PASSED': refusal(
    400,
    'the application comes after the window its item allows (抚恤: 60日 from leaving active service, 军人抚恤优待条例 art. 30)',
  ),
  'APPLICATION.WINDOW_NOT_OPEN': refusal(
    400,
    'the day that opens the application window is after the day of application',
  ),
  'APPLICATION.HOUSEHOLD_REQUIRED': refusal(
    400,
    'the item is means-tested: the application must describe the household',
  ),
  'APPLICATION.ITEM_NOT_APPLICABLE': refusal(400, 'the item is provided without an application'),
  'APPLICATION.UNKNOWN_ITEM': refusal(400, 'no item of the catalog has this code'),
  'CONSENT.REQUIRED': refusal(400, "the applicant's consent to the check of the family's economic data is missing"),
  'MATERIALS.MISSING': refusal(400, 'a material the item requires is not attached'),

  // Staff tokens and roles (docs/input.md).
  'AUTH.UNAUTHENTICATED': refusal(401, 'no staff token, or one that does not verify'),
  'AUTH.TOKEN_EXPIRED': refusal(401, 'the staff token has expired'),
  'AUTH.TOKEN_CLAIM_MISSING': refusal(401, 'the staff token lacks a required claim (`exp`, `iat`, …)'),
  'AUTH.TOKEN_ISSUED_IN_FUTURE': refusal(401, 'the staff token is issued in the future, beyond the allowed clock skew'),
  'AUTH.TOKEN_LIFETIME_TOO_LONG': refusal(401, 'the staff token lives longer than `JWT_MAX_LIFETIME_SECONDS` allows'),
  'AUTH.FORBIDDEN': refusal(403, 'the staff token lacks the role this action needs'),
  'AUTH.DEV_SIGN_IN_DISABLED': refusal(
    404,
    'the development sign-in is off: production, or staff tokens come from the identity provider (`JWT_JWKS_URL`)',
  ),

  // Calendars and day counting (docs/calendars.md, docs/clocks.md).
  'CALENDAR.INVALID': refusal(400, 'a calendar submitted for publication breaks a rule; `field` names the entry'),
  'CALENDAR.INVALID_AMOUNT': refusal(400, 'a count of days that is fractional or below its minimum'),
  'CALENDAR.INVALID_DATE': refusal(400, 'not a calendar date (YYYY-MM-DD)'),
  'CALENDAR.INVALID_INSTANT': refusal(400, 'not a valid instant'),
  'CALENDAR.INVALID_REGION': refusal(400, 'an unknown calendar region'),
  'CALENDAR.INVALID_UNIT': refusal(400, 'a limit unit other than working days or calendar days'),
  'CALENDAR.YEAR_NOT_PUBLISHED': refusal(422, 'a count reaches a year whose official calendar is not published'),
  'CALENDAR.UNCONFIRMED': refusal(422, 'a count needed a provisional calendar although confirmed ones were required'),
  'CALENDAR.DRAFT_YEAR_UNSUPPORTED': refusal(422, 'the holiday rules cannot draft a calendar for this year'),
  'CALENDAR.DRAFT_FAILED': refusal(
    422,
    'the draft cannot be computed on this runtime (e.g. its ICU has no Umm al-Qura calendar)',
  ),
  'CLOCK.BACKWARDS': refusal(422, 'a test clock was asked to move back in time'),

  // Money (docs/money.md).
  'PAYMENT_RUN.NOT_FOUND': refusal(404, 'no payment run with this id'),
  'PAYMENT_RUN.NOT_READY': refusal(409, 'the payment run is still building: it has no file yet'),
  'PAYMENT_RUN.NOT_EXPORTED': refusal(409, 'the payment run has not been exported, so no bank results can be imported'),
  'ENTITLEMENT.NOT_FOUND': refusal(404, 'no entitlement with this id (or none the caller may see)'),
  'ENTITLEMENT.WRONG_STATUS': refusal(
    409,
    'the status of the entitlement does not take this change (e.g. resuming an active one)',
  ),
  'PAYMENT_LINE.NOT_RETURNED': refusal(409, 'no returned payment line with this id that the caller may correct'),
  'REVIEW.NOT_FOUND': refusal(404, 'no entitlement review with this id (or none the caller may see)'),
  'REVIEW.NOT_OPEN': refusal(409, 'the review is decided or lapsed already: it takes no decision or answer'),
  'REVIEW.ALREADY_ANSWERED': refusal(409, 'the household’s answer to this review is recorded already'),
  'REVIEW.ANSWER_PAST_LIMIT': refusal(
    409,
    'the household’s answer limit has passed: the review lapses and the entitlement is suspended (resume it)',
  ),
  'REVIEW.OUTCOME_NOT_ALLOWED': refusal(
    422,
    'the outcome does not apply to this kind of entitlement (a gradual exit or a recomputed amount is for 低保 only)',
  ),
  'REVIEW.INCOME_AT_OR_ABOVE_STANDARD': refusal(
    422,
    'the verified income is at or above the standard: an adjustment would pay nothing (decide a gradual exit or an ending)',
  ),
  'REVIEW.INCOME_BELOW_STANDARD': refusal(
    422,
    'the verified income is below the standard: a gradual exit follows income at or above it (decide an adjustment)',
  ),
  'HOUSEHOLD_EVENT.CONFLICT': refusal(409, 'this household event id was received before with a different event'),

  // Cases.
  'CASE.NOT_FOUND': refusal(404, 'no case with this id (or none the caller may see)'),
  'CASE.ALREADY_OPEN': refusal(409, 'the applicant already has an open case for this item'),
  'CASE.PORTAL_REFERENCE_TAKEN': refusal(409, 'this portal already used this `portalReference`'),
  'CASE.CLOSED': refusal(409, 'the case is closed and takes no more commands'),
  'CASE.WRONG_STATUS': refusal(409, 'the case does not take this command in its current status'),
  'CASE.NOT_STUCK': refusal(409, 'the case has no unapplied command without a live job: nothing to repair'),
  'COMMAND.INVALID': refusal(422, 'a queued command does not match the queue contract; the job fails at once'),
  'CASE.PROCEDURE_INPUT_MISSING': refusal(
    422,
    'the case has no stored procedure input (intake writes it); the job fails once with an operator alert',
  ),
  'CASE.STALE_WRITE': transient(409, 'another writer moved the case between read and write; nothing was written'),

  // The satisfaction survey (docs/api.md "Satisfaction").
  'SATISFACTION.CASE_OPEN': refusal(409, 'the case is not closed yet: the survey opens when it closes'),
  'SATISFACTION.WINDOW_CLOSED': refusal(
    422,
    'the survey of this case closed `SATISFACTION_WINDOW_DAYS` calendar days after the case did',
  ),
  'SATISFACTION.ALREADY_SUBMITTED': refusal(409, 'the survey of this case was answered already; it is answered once'),

  // The catalog and its published parameters.
  'CATALOG.ITEM_NOT_FOUND': refusal(404, 'no service item has this code'),
  'CATALOG.DIVISION_NOT_FOUND': refusal(404, 'no Urumqi division has this code'),
  'CATALOG.PARAMETER_NOT_FOUND': refusal(404, 'no standard parameter has this key'),
  'CATALOG.PARAMETER_BACKDATED': refusal(422, 'a parameter may not take effect before an already published one'),
  'CATALOG.UNKNOWN_ITEM': refusal(422, 'no service item has this code'),
  'PARAMETER.NOT_IN_FORCE': refusal(
    422,
    'no published value of a parameter an amount needs is in force on the rule date; publish it, then retry the job',
  ),
  'PARAMETER.BAD_VALUE': refusal(422, 'a published parameter value an amount needs is negative or too precise'),
  'PARAMETER.INCONSISTENT': refusal(
    422,
    'published parameters contradict each other (e.g. 低保 standard ≥ minimum wage)',
  ),
  'PARAMETER.INVALID_DATE': refusal(422, 'a parameter period date that is not a calendar date'),
  'PARAMETER.OVERLAPPING_PERIODS': refusal(422, "two periods of one parameter overlap, so a day's value is ambiguous"),
  'DEPARTMENT.UNKNOWN_CODE': refusal(422, 'no department has this code'),
  'DIVISION.MALFORMED_CODE': refusal(422, 'not a 6-, 9- or 12-digit division code'),
  'DIVISION.NOT_A_DISTRICT': refusal(422, 'the division is not one of the districts or the county'),
  'DIVISION.UNKNOWN_CODE': refusal(400, 'no Urumqi division has this code'),

  // Reviewer decisions and tasks (docs/api.md "Reviewer API").
  'DECISION.INVALID': refusal(422, "the decision breaks the procedure's rules for the task; `field` names what"),
  'TASK.NOT_FOUND': refusal(404, "no such task in the reviewer's inbox"),
  'DECISION.REFUSED': refusal(
    422,
    "the engine refused a decision request: the case's procedure does not take it in the case's state (shown on the task and as DECISION_REFUSED, never as an HTTP answer)",
  ),
  'TASK.ALREADY_DECIDED': refusal(409, 'the task is already decided or closed'),
  'TASK.DECISION_PENDING': refusal(
    409,
    'a decision request on the task waits for the engine; read the task for its answer',
  ),
  'TASK.CLAIMED_BY_ANOTHER': refusal(409, 'another reviewer holds the task'),
  'TASK.NOT_CLAIMED': refusal(409, 'only a claimed task is reassigned; an open task is claimed by the reviewer'),
  'TASK.SEPARATION_OF_DUTIES': refusal(403, 'a separation-of-duties rule bars this reviewer from deciding the task'),

  // Households and people (field errors of an application, or of a computation on its data).
  'HOUSEHOLD.NO_MEMBERS': refusal(422, 'a household without members'),
  'HOUSEHOLD.BAD_BIRTH_DATE': refusal(422, "a member's birth date that is not a date"),
  'HOUSEHOLD.APPLICANT_NOT_MEMBER': refusal(400, 'the applicant is not listed among the household members'),
  'HOUSEHOLD.BIRTH_DATE_MISMATCH': refusal(400, "a birth date differs from the one in the person's ID number"),
  'HOUSEHOLD.DUPLICATE_MEMBER': refusal(400, 'the same person is listed twice'),
  'HOUSEHOLD.ONE_HEAD_REQUIRED': refusal(400, 'not exactly one member is the head of household'),
  'HOUSEHOLD.UNKNOWN_MEMBER': refusal(400, 'an asset names a member index that does not exist'),
  'ID_NUMBER.BAD_FORMAT': refusal(400, 'an ID number with characters other than digits and a final X'),
  'ID_NUMBER.BAD_LENGTH': refusal(400, 'an ID number that is not 18 characters long'),
  'ID_NUMBER.BAD_REGION': refusal(400, 'an ID number whose region digits are not a valid region'),
  'ID_NUMBER.BAD_BIRTH_DATE': refusal(400, 'an ID number whose birth date is not a date from 1900 on'),
  'ID_NUMBER.FUTURE_BIRTH_DATE': refusal(400, 'an ID number whose birth date lies in the future'),
  'ID_NUMBER.BAD_CHECK_DIGIT': refusal(400, 'an ID number whose check character is wrong (ISO 7064 MOD 11-2)'),
  'PHONE.BAD_FORMAT': refusal(400, 'not a mainland mobile number or an Urumqi (0991) fixed line'),
  'MONEY.NOT_INTEGER_FEN': refusal(400, 'an amount that is not a whole number of fen'),
  'MONEY.NEGATIVE_AMOUNT': refusal(400, 'a negative amount where none is allowed'),
  'MONEY.BAD_YUAN_AMOUNT': refusal(400, 'a yuan amount that is not a plain decimal with at most two decimals'),
  'MONEY.OUT_OF_RANGE': refusal(400, 'an amount beyond the safe integer range'),
  'MONEY.NOT_INTEGER_FACTOR': refusal(400, 'an amount multiplied by a factor that is not a safe integer'),
  'MONEY.BAD_RATIO': refusal(400, 'a ratio whose terms are not safe integers or whose denominator is not positive'),

  // Routing an application to its offices (docs/development.md "A route").
  'ROUTING.NOT_AN_APPLICATION_ITEM': refusal(422, 'the item does not take applications, so it has no route'),
  'ROUTING.COMPETENT_DIVISION_REQUIRED': refusal(
    400,
    'the item goes to the office of the organ its rule names (the case-handling organ for legal aid, 法律援助法 art. 38; the school; the insurer): name that division',
  ),
  'ROUTING.UNKNOWN_DIVISION': refusal(422, 'not an Urumqi district or street-level division'),
  'ROUTING.STREET_REQUIRED': refusal(
    422,
    'the item is accepted by a street office or township: a street-level division is needed',
  ),

  // Portals: idempotency, rate limit, items (docs/api.md "Applications API").
  'IDEMPOTENCY.KEY_MISSING': refusal(400, 'the `Idempotency-Key` header is required'),
  'IDEMPOTENCY.KEY_INVALID': refusal(400, 'the `Idempotency-Key` is not 1–200 visible ASCII characters'),
  'IDEMPOTENCY.KEY_REUSED': refusal(422, 'the `Idempotency-Key` was used for a different request'),
  'IDEMPOTENCY.IN_PROGRESS': transient(409, 'the first request with this `Idempotency-Key` is still running'),
  'PORTAL.ITEM_NOT_ALLOWED': refusal(403, 'the portal may not submit applications for this item'),
  'RATE_LIMIT.EXCEEDED': transient(429, 'the portal exceeded its requests per minute; see `Retry-After`'),
  'WEBHOOK.NOT_FOUND': refusal(404, 'no webhook endpoint (or delivery) with this id among the portal’s own'),

  // Operations (docs/operations.md).
  'JOB.NOT_FOUND': refusal(404, 'no job with this id in the queue'),
  'JOB.NOT_FAILED': refusal(409, 'only a failed job can be retried'),
  'JOB.ACTIVE': refusal(409, 'the job is running; wait until it fails or completes'),
  'QUEUE.NOT_FOUND': refusal(404, 'no queue with this name'),
  'FORECAST.INVALID': refusal(422, 'a forecast parameter is not an integer in its range'),

  // Requests the HTTP layer refuses before any route runs.
  'VALIDATION.FAILED': refusal(400, 'the request breaks its schema or a rule; `errors` lists each field'),
  'REQUEST.BAD_URL': refusal(400, 'the URL has a malformed percent-escape'),
  'REQUEST.TOO_LARGE': refusal(413, 'the request body is larger than allowed'),
  'REQUEST.PARAMETER_TOO_LONG': refusal(414, 'a path parameter is longer than 100 characters'),

  // Transient failures (docs/operations.md "Transient failures").
  'SERVICE.UNAVAILABLE': transient(503, 'PostgreSQL or Redis is unreachable for the moment; nothing was written'),
  'TRANSACTION.CONFLICT': transient(409, 'concurrent changes kept colliding after the in-request retries'),

  // Procedures: input a machine refuses, or a machine or snapshot that cannot run (docs/procedures.md).
  'DISABILITY_SUBSIDIES.BAD_INPUT': refusal(
    422,
    'apply for the living subsidy, the nursing subsidy or both, each once',
  ),
  'LEGAL_AID.BAD_INPUT': refusal(422, 'a legal-aid case input the machine cannot run with'),
  'TEMPORARY_ASSISTANCE.BAD_INPUT': refusal(422, 'a temporary-assistance input the machine cannot run with'),
  'GENERAL_REVIEW.UNKNOWN_ITEM': refusal(422, 'the item is not run by the general review'),
  'GENERAL_REVIEW.BAD_CONFIGURATION': refusal(422, "an item's general-review steps are misconfigured"),
  'WORKFLOW.UNKNOWN_PROCEDURE': refusal(422, 'no machine for this procedure'),
  'WORKFLOW.UNKNOWN_VERSION': refusal(422, 'the procedure has no machine of this version'),
  'WORKFLOW.BAD_SNAPSHOT': refusal(422, "a stored snapshot does not restore on its machine's version"),
  'WORKFLOW.MACHINE_FAILED': refusal(422, 'the machine threw while taking a step'),
  'WORKFLOW.NO_STATUS': refusal(422, 'the state the machine reached does not declare exactly one case status'),
  'WORKFLOW.UNEXPECTED_EVENT': refusal(422, 'an event the current state does not take'),
  'WORKFLOW.UNKNOWN_ACTION': refusal(422, 'a machine action that is not an intent'),
  'WORKFLOW.INTENT_WITHOUT_PARAMS': refusal(422, 'an intent without its params'),
} as const satisfies Record<string, ErrorEntry>;

/** A stable error code: a key of {@link ERROR_CATALOGUE}. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/** The catalogue entry of `code`. */
export function errorEntry(code: ErrorCode): ErrorEntry {
  return ERROR_CATALOGUE[code];
}
