import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { DomainError } from '@minsheng/domain';
import { caseCommandJobId, findUnappliedCommands, type JobName, QUEUES, type UnappliedCommand } from '@minsheng/infra';
import { QueueRegistry } from './queue-registry.js';

export interface StuckCase {
  readonly caseId: string;
  readonly trackingNumber: string;
  readonly itemCode: string;
  readonly status: string;
  readonly departmentCode: string;
  readonly division: string;
  readonly commandId: string;
  readonly eventType: string;
  readonly commandWrittenAt: string;
  readonly relayed: boolean;
  readonly jobId: string;
  /** `missing`: no job in Redis (lost, or never relayed); `failed`: the job used up its attempts. */
  readonly reason: 'missing' | 'failed';
  readonly failedReason: string | null;
  readonly attemptsMade: number | null;
}

const APPLY: JobName<'case-commands'> = 'apply';

/**
 * Stuck cases: open cases whose latest command has no applied event (PostgreSQL, `findUnappliedCommands`) and
 * whose job is missing or failed (Redis). A re-drive puts the command back on the queue with its deterministic
 * job id; the engine recognises an already applied command, so a re-drive can never apply it twice.
 */
@Injectable()
export class StuckCases {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: QueueRegistry,
  ) {}

  async list(graceSeconds: number, limit: number): Promise<StuckCase[]> {
    const candidates = await findUnappliedCommands(this.dataSource, { graceSeconds, limit });
    const judged = await Promise.all(candidates.map((candidate) => this.judge(candidate)));
    return judged.filter((stuck): stuck is StuckCase => stuck !== null);
  }

  async redrive(caseId: string): Promise<{ stuck: StuckCase; jobId: string }> {
    const [exists] = (await this.dataSource.query(`SELECT closed_at FROM cases WHERE id = $1`, [caseId])) as {
      closed_at: Date | null;
    }[];
    if (!exists) throw new DomainError('CASE.NOT_FOUND', `no case ${caseId}`, { field: 'id' });
    const [candidate] = await findUnappliedCommands(this.dataSource, { graceSeconds: 0, limit: 1, caseId });
    const stuck = candidate ? await this.judge(candidate) : null;
    if (!candidate || !stuck) {
      throw new DomainError('CASE.NOT_STUCK', `case ${caseId} has no unapplied command without a live job`);
    }
    const queue = this.registry.get(QUEUES.caseCommands);
    const jobId = caseCommandJobId(candidate.command.commandId);
    if (stuck.reason === 'failed') await (await queue.getJob(jobId))?.remove();
    await queue.add(APPLY, candidate.command, { jobId });
    return { stuck, jobId };
  }

  private async judge(candidate: UnappliedCommand): Promise<StuckCase | null> {
    const jobId = caseCommandJobId(candidate.command.commandId);
    const job: Job | undefined = await this.registry.get(QUEUES.caseCommands).getJob(jobId);
    const state = job ? await job.getState() : 'missing';
    if (state !== 'missing' && state !== 'failed' && state !== 'unknown') return null;
    return {
      caseId: candidate.caseId,
      trackingNumber: candidate.trackingNumber,
      itemCode: candidate.itemCode,
      status: candidate.status,
      departmentCode: candidate.departmentCode,
      division: candidate.division,
      commandId: candidate.command.commandId,
      eventType: candidate.command.event.type,
      commandWrittenAt: candidate.commandWrittenAt.toISOString(),
      relayed: candidate.sentAt !== null,
      jobId,
      reason: state === 'failed' ? 'failed' : 'missing',
      failedReason: job?.failedReason || null,
      attemptsMade: job ? job.attemptsMade : null,
    };
  }
}
