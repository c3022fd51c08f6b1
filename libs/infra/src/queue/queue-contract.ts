/**
 * The one contract of minsheng's queues: names, job names and payloads. Payloads carry ids, never documents or
 * personal data (Redis is not a place for resident ID numbers). Each job name has exactly one handler, checked
 * at worker start-up against `JOB_NAMES`.
 */
export const QUEUES = {
  heartbeat: 'heartbeat',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  heartbeat: {
    /** Written by the job scheduler; the processor proves the queue → worker → database path. */
    beat: { requestedAt: string };
  };
}

export type JobName<Q extends QueueName> = Extract<keyof JobPayloads[Q], string>;

export const JOB_NAMES: { readonly [Q in QueueName]: readonly JobName<Q>[] } = {
  heartbeat: ['beat'],
};

/** Finished jobs are kept long enough for an operator to look, then removed so Redis holds only work to do. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3_600 },
} as const;
