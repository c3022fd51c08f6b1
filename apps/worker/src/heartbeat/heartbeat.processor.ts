import { hostname } from 'node:os';
import { Processor } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { type JobPayloads, QUEUES } from '@minsheng/infra';
import { ContractWorkerHost, type JobHandlers } from '../queues/contract-worker-host.js';

export const WORKER_ID = `${hostname()}-${process.pid}`;

/** Each beat records this process in `worker_heartbeats`: proof that queue, worker and database work together. */
@Processor(QUEUES.heartbeat)
export class HeartbeatProcessor extends ContractWorkerHost<'heartbeat'> {
  protected readonly handlers: JobHandlers<'heartbeat'> = { beat: (job) => this.beat(job) };

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async beat(job: Job<JobPayloads['heartbeat']['beat']>): Promise<{ outcome: 'done'; workerId: string }> {
    await this.dataSource.query(
      `INSERT INTO worker_heartbeats (worker_id, beat_at, beats, job_id) VALUES ($1, now(), 1, $2)
       ON CONFLICT (worker_id) DO UPDATE SET beat_at = now(), beats = worker_heartbeats.beats + 1, job_id = $2`,
      [WORKER_ID, String(job.id)],
    );
    return { outcome: 'done', workerId: WORKER_ID };
  }
}
