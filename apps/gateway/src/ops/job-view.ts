import { type Job, type JobState } from 'bullmq';

/**
 * What an operator sees of a job: ids, state, attempts, times and the error. Payloads carry ids only (the queue
 * contract), but only named id fields are copied here, so a payload that ever carried more would not leak.
 */
export interface JobView {
  readonly id: string;
  readonly name: string;
  readonly state: JobState | 'unknown';
  readonly caseId: string | null;
  readonly commandId: string | null;
  readonly eventType: string | null;
  readonly attemptsMade: number;
  readonly attempts: number;
  readonly failedReason: string | null;
  readonly createdAt: string;
  readonly processedAt: string | null;
  readonly finishedAt: string | null;
  readonly delayMs: number;
}

function stringField(data: unknown, key: string): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const value = (data as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : null;
}

function iso(ms: number | undefined): string | null {
  return ms ? new Date(ms).toISOString() : null;
}

export function jobView(job: Job, state: JobState | 'unknown'): JobView {
  const event = (job.data as { event?: unknown } | undefined)?.event;
  return {
    id: String(job.id),
    name: job.name,
    state,
    caseId: stringField(job.data, 'caseId'),
    commandId: stringField(job.data, 'commandId'),
    eventType: stringField(event, 'type'),
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    failedReason: job.failedReason || null,
    createdAt: new Date(job.timestamp).toISOString(),
    processedAt: iso(job.processedOn),
    finishedAt: iso(job.finishedOn),
    delayMs: job.delay,
  };
}
