import { ERROR_CATALOGUE, type ErrorCode } from './error-catalogue.js';

/**
 * Base of every error the domain throws. `code` is a stable key of the error catalogue (`CASE.ALREADY_OPEN`,
 * `ID_NUMBER.BAD_CHECK_DIGIT`), which gives its HTTP status and whether it is retryable: the gateway answers with that
 * status and a problem+json body; the worker retries a retryable code and fails any other job at once with BullMQ's
 * UnrecoverableError. `field` names the offending input (a path such as `applicant.idNumber`) when there is one.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { field?: string; [key: string]: unknown } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** The HTTP status of this code (docs/errors.md). */
  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  /** Whether the same request or job may succeed later unchanged (docs/errors.md). */
  get retryable(): boolean {
    return ERROR_CATALOGUE[this.code].retryable;
  }
}

/** True for an error a later retry of the same work may overcome: a retryable domain error. */
export function isRetryable(error: unknown): boolean {
  return error instanceof DomainError && error.retryable;
}
