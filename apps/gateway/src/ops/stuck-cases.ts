import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Job, type Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DomainError } from '@minsheng/domain';
import {
  type ClockAwaitingTimer,
  commandJobId,
  findClocksAwaitingTimer,
  findUnappliedCommands,
  type JobName,
  QUEUES,
  type StuckCaseRef,
  timerJobId,
  type TimerKind,
  type UnappliedCommand,
} from '@minsheng/infra';
import { QueueRegistry } from './queue-registry.js';

interface StuckCaseBase extends StuckCaseRef {
  readonly jobId: string;
}

/** A case waiting on a command whose job is not live. */
export interface StuckCommand extends StuckCaseBase {
  readonly commandId: string;
  readonly eventType: string;
  readonly commandWrittenAt: string;
  readonly relayed: boolean;
  /** `missing`: no job in Redis (lost, or never relayed); `failed`: the job used up its attempts. */
  readonly reason: 'missing' | 'failed';
  readonly failedReason: string | null;
  readonly attemptsMade: number | null;
}

/** A case whose running clock has no live job for the timer it waits for: nothing would ever fire it. */
export interface StuckClock extends StuckCaseBase {
  readonly reason: 'no-timer';
  readonly clock: {
    readonly clockId: string;
    readonly name: string;
    readonly generation: number;
    readonly dueAt: string;
    readonly timer: TimerKind;
  };
}

export type StuckCase = StuckCommand | StuckClock;

const APPLY: JobName<'case-commands'> = 'apply';
/** Clocks read per page while looking for ones without a timer. */
const CLOCK_PAGE = 500;

/**
 * Stuck cases: open cases whose latest command has no applied event (PostgreSQL, `findUnappliedCommands`) and
 * whose job is missing or failed (Redis), and open cases whose running clock has no live job for its next timer
 * (`findClocksAwaitingTimer`; the worker re-arms those within 5 minutes, or at once after Redis was emptied). A
 * re-drive puts a command back on the queue with its deterministic job id; the engine recognises an already
 * applied command, so a re-drive can never apply it twice.
 */
@Injectable()
export class StuckCases {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: QueueRegistry,
  ) {}

  async list(graceSeconds: number, limit: number): Promise<StuckCase[]> {
    const candidates = await findUnappliedCommands(this.dataSource, { graceSeconds, limit, per: 'oldest-per-case' });
    const judged = await Promise.all(candidates.map((candidate) => this.judge(candidate)));
    const commands = judged.filter((stuck): stuck is StuckCommand => stuck !== null);
    return [...commands, ...(await this.clocksWithoutTimer(limit - commands.length))];
  }

  async redrive(caseId: string): Promise<{ stuck: StuckCommand; jobId: string }> {
    const [exists] = (await this.dataSource.query(`SELECT closed_at FROM cases WHERE id = $1`, [caseId])) as {
      closed_at: Date | null;
    }[];
    if (!exists) throw new DomainError('CASE.NOT_FOUND', `no case ${caseId}`, { field: 'id' });
    const [candidate] = await findUnappliedCommands(this.dataSource, {
      graceSeconds: 0,
      limit: 1,
      caseId,
      per: 'oldest-per-case',
    });
    const stuck = candidate ? await this.judge(candidate) : null;
    if (!candidate || !stuck) {
      throw new DomainError('CASE.NOT_STUCK', `case ${caseId} has no unapplied command without a live job`);
    }
    const queue = this.registry.get(QUEUES.caseCommands);
    const jobId = commandJobId(candidate.command.commandId);
    if (stuck.reason === 'failed') await (await queue.getJob(jobId))?.remove();
    await queue.add(APPLY, candidate.command, { jobId });
    return { stuck, jobId };
  }

  private async judge(candidate: UnappliedCommand): Promise<StuckCommand | null> {
    const jobId = commandJobId(candidate.command.commandId);
    const job: Job | undefined = await this.registry.get(QUEUES.caseCommands).getJob(jobId);
    const state = job ? await job.getState() : 'missing';
    if (state !== 'missing' && state !== 'failed' && state !== 'unknown') return null;
    return {
      ...caseRef(candidate),
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

  /** Running clocks, page by page, whose next timer's job Redis does not hold live; at most `limit`. */
  private async clocksWithoutTimer(limit: number): Promise<StuckClock[]> {
    const queue = this.registry.get(QUEUES.clockTimers);
    const found: StuckClock[] = [];
    let after = '00000000-0000-0000-0000-000000000000';
    while (found.length < limit) {
      const page = await findClocksAwaitingTimer(this.dataSource, { after, limit: CLOCK_PAGE });
      const waiting = page.filter((clock): clock is ClockAwaitingTimer & { timer: TimerKind } => clock.timer !== null);
      const live = await liveJobs(
        queue,
        waiting.map((clock) => timerJobId(clock.clockId, clock.timer, clock.generation)),
      );
      waiting.forEach((clock, i) => {
        if (!live[i] && found.length < limit) found.push(stuckClock(clock));
      });
      if (page.length < CLOCK_PAGE) break;
      after = page[page.length - 1]!.clockId;
    }
    return found;
  }
}

interface RedisHashClient {
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]>;
}

/**
 * Whether each job is live: its hash exists and it has not finished (completed or failed). On Redis one HMGET per
 * job on the queue's own connection, not a `getJob` + `getState` per clock (every running clock is looked at). The
 * PostgreSQL backend has no such client (docs/operations.md "Queue backends"): there each job's state is read.
 */
async function liveJobs(queue: Queue, jobIds: readonly string[]): Promise<boolean[]> {
  if (jobIds.length === 0) return [];
  const client = (await queue.getBackend().client) as Partial<RedisHashClient> | undefined;
  if (typeof client?.hmget !== 'function') {
    const states = await Promise.all(jobIds.map((id) => queue.getJobState(id)));
    return states.map((state) => !['unknown', 'completed', 'failed'].includes(state));
  }
  const hmget = client.hmget.bind(client);
  const fields = await Promise.all(jobIds.map((id) => hmget(queue.toKey(id), 'timestamp', 'finishedOn')));
  return fields.map(([timestamp, finishedOn]) => timestamp !== null && finishedOn === null);
}

function stuckClock(clock: ClockAwaitingTimer & { timer: TimerKind }): StuckClock {
  return {
    ...caseRef(clock),
    jobId: timerJobId(clock.clockId, clock.timer, clock.generation),
    reason: 'no-timer',
    clock: {
      clockId: clock.clockId,
      name: clock.clock,
      generation: clock.generation,
      dueAt: clock.dueAt.toISOString(),
      timer: clock.timer,
    },
  };
}

/** Only the case's fields (the candidates carry more, which the answer must not leak, e.g. the whole command). */
function caseRef(from: StuckCaseRef): StuckCaseRef {
  const { caseId, trackingNumber, itemCode, status, departmentCode, division } = from;
  return { caseId, trackingNumber, itemCode, status, departmentCode, division };
}
