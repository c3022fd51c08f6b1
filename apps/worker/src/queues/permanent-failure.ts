import { UnrecoverableError, type Job } from 'bullmq';
import { DomainError, isErrorCode, type ErrorCode } from '@minsheng/domain';

/**
 * The mark a job carries when it failed for good: the error code of the refusal, kept as the job's progress.
 *
 * BullMQ 6 fails a job at once when its processor throws `UnrecoverableError`, but records no mark of it: the
 * error's message becomes `failedReason`, and a job that stalled more often than allowed is failed the same way (a
 * deferred `UnrecoverableError`), with attempts left too. The reconciler retries the second kind and must leave the
 * first alone, so the processor marks a permanent refusal on the job, typed, instead of leaving a string to parse.
 */
export interface PermanentFailureMark {
  readonly permanentFailure: { readonly code: ErrorCode };
}

/** Whether the job's last failure was a permanent refusal (docs/errors.md: a code that is not retryable). */
export function failedPermanently(job: Pick<Job, 'progress'>): boolean {
  const progress: unknown = job.progress;
  if (typeof progress !== 'object' || progress === null || !('permanentFailure' in progress)) return false;
  const mark = (progress as Partial<PermanentFailureMark>).permanentFailure;
  return typeof mark?.code === 'string' && isErrorCode(mark.code);
}

/**
 * Runs a job's work. A domain error whose code is not retryable (docs/errors.md) will not get better with retries:
 * the job is marked and failed at once with BullMQ's `UnrecoverableError`. Anything else (a retryable code, the
 * database away) is thrown as is, for BullMQ to retry with backoff. A job re-driven after a permanent failure starts
 * its new attempt unmarked.
 */
export async function failingPermanentlyOnRefusal<T>(job: Job, work: () => Promise<T>): Promise<T> {
  if (failedPermanently(job)) await job.updateProgress(0);
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DomainError) || error.retryable) throw error;
    const mark: PermanentFailureMark = { permanentFailure: { code: error.code } };
    await job.updateProgress(mark);
    throw new UnrecoverableError(`${error.code}: ${error.message}`);
  }
}
