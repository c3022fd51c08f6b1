/**
 * Base of every error the domain throws. `code` is stable (`CASE.ALREADY_OPEN`, `ID_NUMBER.BAD_CHECK_DIGIT`):
 * the gateway maps it to an HTTP status and a problem+json body, the worker to BullMQ's UnrecoverableError.
 * `field` names the offending input (a JSON pointer-like path such as `applicant.idNumber`) when there is one.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: { field?: string; [key: string]: unknown } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
