import { type Queue } from 'bullmq';
import { eventually } from './given.js';

/**
 * What a job answered once it finished, read from the job itself rather than from `QueueEvents`: BullMQ's
 * PostgreSQL queue backend numbers queue events from a sequence and reads them as `id > cursor`, so an event whose
 * transaction commits after a higher-numbered one is passed over for good, and with several jobs finishing at once
 * (a worker with more than one slot, or two workers) `waitUntilFinished` can wait for a `completed` that never comes
 * (docs/architecture.md "Due timers together"). Resolves with the job's return value when it completed, rejects with
 * its failure reason when it failed for good (as `waitUntilFinished` does); a job still retrying is not finished.
 */
export class JobNotFinishedError extends Error {}

export async function finishedJob(queue: Queue, jobId: string, timeoutMs = 15_000): Promise<unknown> {
  const state = await eventually(async () => {
    const current = await queue.getJobState(jobId);
    return current === 'completed' || current === 'failed' ? current : undefined;
  }, timeoutMs).catch(() => {
    throw new JobNotFinishedError(`job ${queue.name}:${jobId} did not finish within ${timeoutMs} ms`);
  });
  // Read once finished: a job read before its state was asked may still show what it had while active.
  const job = (await queue.getJob(jobId))!;
  if (state === 'failed') throw new Error(job.failedReason);
  return job.returnvalue;
}
