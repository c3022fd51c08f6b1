import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Job, type JobState } from 'bullmq';
import { DataSource } from 'typeorm';
import { DomainError } from '@minsheng/domain';
import { commandJobId, QUEUES, timerJobId, type TimerKind } from '@minsheng/infra';
import { type JobView, jobView } from './job-view.js';
import { QueueRegistry } from './queue-registry.js';

/** One dated line of a case's story; `kind` says which table or queue it came from. */
export interface TraceEntry {
  readonly at: string;
  readonly kind: string;
  readonly requestId?: string | null;
  readonly [detail: string]: unknown;
}

export interface CaseTrace {
  readonly case: {
    id: string;
    trackingNumber: string;
    itemCode: string;
    status: string;
    submittedAt: string;
    closedAt: string | null;
  };
  /** Every request that changed the case, first time seen, with what it caused. */
  readonly requests: { requestId: string; firstAt: string; events: number; commands: number }[];
  /** The jobs of its commands (`apply`). */
  readonly jobs: JobView[];
  /** The case's statutory-clock timers (reminder, due, escalation), by fire time: pending, fired or failed. */
  readonly timers: TimerView[];
  readonly timeline: TraceEntry[];
}

const iso = (value: Date | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

const TIMER_KINDS = ['reminder', 'due', 'escalation'] as const satisfies readonly TimerKind[];

/** A timer job of one clock generation (`clock-timers` queue). Its payload holds ids only; none is copied. */
export interface TimerView {
  readonly id: string;
  readonly timer: TimerKind;
  readonly clock: string;
  readonly generation: number;
  /** False for a timer of an older generation: the clock moved on (paused, extended …), so it does nothing. */
  readonly current: boolean;
  readonly state: JobState | 'unknown';
  /** When the job was added (a timer re-armed by the reconciler shows the re-arming). */
  readonly armedAt: string;
  /** When it is due to fire: enqueued time plus its delay (a promoted timer's delay is 0). */
  readonly fireAt: string;
  readonly processedAt: string | null;
  readonly finishedAt: string | null;
  readonly attemptsMade: number;
  readonly failedReason: string | null;
  /** What the timer did: `done` with an `action`, or `skipped` with a `reason` (generation moved, stopped …). */
  readonly result: { outcome?: string; action?: string; reason?: string } | null;
}

/** Generations looked up per clock: older timers are long fired or removed, and a paused clock may have many. */
const GENERATIONS_TRACED = 10;

function timerResult(value: unknown): TimerView['result'] {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const result: { outcome?: string; action?: string; reason?: string } = {};
  for (const key of ['outcome', 'action', 'reason'] as const) {
    if (typeof v[key] === 'string') result[key] = v[key];
  }
  return Object.keys(result).length > 0 ? result : null;
}

/**
 * Correlation for operators: the requests (request ids stored on case_events and outbox), the jobs of the case's
 * commands (job id from the command id), the timers of its clocks (pending at their fire time, fired, failed),
 * the events, tasks and clocks of one case, in time order. Ids, types and times only: no
 * payload, so no personal data.
 */
@Injectable()
export class CaseTraces {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: QueueRegistry,
  ) {}

  async trace(caseId: string): Promise<CaseTrace> {
    const q = (sql: string) => this.dataSource.query(sql, [caseId]) as Promise<Record<string, any>[]>;
    const [[row], events, outbox, tasks, clocks] = await Promise.all([
      q(`SELECT id, tracking_number, item_code, status, submitted_at, closed_at FROM cases WHERE id = $1`),
      q(`SELECT seq, id, type, actor, occurred_at, request_id FROM case_events WHERE case_id = $1 ORDER BY seq`),
      q(`SELECT id::text AS id, kind, payload->>'commandId' AS command_id, payload->'event'->>'type' AS event_type,
                CASE WHEN kind = 'clock.changed' THEN payload->>'clock' END AS clock,
                CASE WHEN kind = 'clock.changed' THEN (payload->>'generation')::int END AS generation,
                request_id, created_at, available_at, sent_at, attempts
         FROM outbox WHERE case_id = $1 ORDER BY id`),
      q(`SELECT id, step, kind, status, level, department_code, division_code, opened_at, due_at, closed_at,
                decision->>'outcome' AS outcome
         FROM tasks WHERE case_id = $1 ORDER BY opened_at`),
      q(`SELECT id, clock, kind, started_at, due_at, paused_at, stopped_at, reminded_at, breached_at, generation
         FROM case_clocks WHERE case_id = $1 ORDER BY started_at`),
    ]);
    if (!row) throw new DomainError('CASE.NOT_FOUND', `no case ${caseId}`, { field: 'id' });

    const timeline: TraceEntry[] = [];
    const push = (at: Date | string | null | undefined, kind: string, detail: Record<string, unknown>) => {
      if (at) timeline.push({ at: new Date(at).toISOString(), kind, ...detail });
    };
    for (const e of events) {
      push(e['occurred_at'], 'event', {
        seq: e['seq'],
        eventId: e['id'],
        type: e['type'],
        actor: e['actor'],
        requestId: e['request_id'],
      });
    }
    for (const o of outbox) {
      push(o['created_at'], 'outbox', {
        outboxId: o['id'],
        outboxKind: o['kind'],
        commandId: o['command_id'],
        eventType: o['event_type'],
        requestId: o['request_id'],
        availableAt: iso(o['available_at']),
        attempts: o['attempts'],
      });
      push(o['sent_at'], 'outbox.relayed', { outboxId: o['id'], requestId: o['request_id'] });
    }
    for (const t of tasks) {
      const task = {
        taskId: t['id'],
        step: t['step'],
        level: t['level'],
        department: t['department_code'],
        division: t['division_code'],
      };
      push(t['opened_at'], 'task.opened', { ...task, dueAt: iso(t['due_at']) });
      push(t['closed_at'], 'task.closed', { ...task, status: t['status'], outcome: t['outcome'] });
    }
    for (const c of clocks) {
      const clock = { clock: c['clock'], clockKind: c['kind'], generation: c['generation'] };
      push(c['started_at'], 'clock.started', { ...clock, dueAt: iso(c['due_at']) });
      push(c['paused_at'], 'clock.paused', clock);
      push(c['reminded_at'], 'clock.reminded', clock);
      push(c['breached_at'], 'clock.breached', clock);
      push(c['stopped_at'], 'clock.stopped', clock);
    }

    const commandIds = [
      ...new Set(outbox.map((o) => o['command_id'] as string | null).filter((id): id is string => !!id)),
    ];
    // Clock changes take no job: the relay arms their timers itself (`clock.changed` rows, sent_at in the timeline).
    const [commandJobs, timers] = await Promise.all([
      this.jobsById(QUEUES.caseCommands, commandIds.map(commandJobId)),
      this.timers(clocks),
    ]);
    const jobs: JobView[] = [];
    const pushJob = (queue: string, view: JobView, detail: Record<string, unknown>) => {
      jobs.push(view);
      const about = { jobId: view.id, queue, ...detail };
      push(view.createdAt, 'job.queued', about);
      push(view.processedAt, 'job.started', { ...about, attemptsMade: view.attemptsMade });
      push(view.finishedAt, `job.${view.state === 'failed' ? 'failed' : 'finished'}`, {
        ...about,
        state: view.state,
        failedReason: view.failedReason,
      });
    };
    commandJobs.forEach((found, i) => {
      if (!found) return;
      pushJob(QUEUES.caseCommands, jobView(found.job, found.state), {
        commandId: commandIds[i],
        requestId: (found.job.data as { requestId?: string | null }).requestId ?? null,
      });
    });
    for (const t of timers) {
      const detail = {
        jobId: t.id,
        queue: QUEUES.clockTimers,
        timer: t.timer,
        clock: t.clock,
        generation: t.generation,
      };
      push(t.armedAt, 'timer.armed', { ...detail, fireAt: t.fireAt, current: t.current });
      // A timer not yet run sits in the timeline at its fire time, so the trace ends with what comes next.
      if (!t.processedAt) push(t.fireAt, 'timer.pending', { ...detail, state: t.state });
      push(t.processedAt, 'timer.fired', { ...detail, fireAt: t.fireAt, attemptsMade: t.attemptsMade });
      push(t.finishedAt, `timer.${t.state === 'failed' ? 'failed' : 'finished'}`, {
        ...detail,
        state: t.state,
        result: t.result,
        failedReason: t.failedReason,
      });
    }
    // Stable sort keeps the database order (sequence numbers, outbox ids) for equal instants.
    timeline.sort((a, b) => a.at.localeCompare(b.at));

    const requests = new Map<string, { requestId: string; firstAt: string; events: number; commands: number }>();
    for (const entry of timeline) {
      const requestId = entry.requestId;
      if (!requestId || (entry.kind !== 'event' && entry.kind !== 'outbox')) continue;
      const seen = requests.get(requestId) ?? { requestId, firstAt: entry.at, events: 0, commands: 0 };
      if (entry.kind === 'event') seen.events += 1;
      else seen.commands += 1;
      requests.set(requestId, seen);
    }
    return {
      case: {
        id: row['id'],
        trackingNumber: row['tracking_number'],
        itemCode: row['item_code'],
        status: row['status'],
        submittedAt: iso(row['submitted_at'])!,
        closedAt: iso(row['closed_at']),
      },
      requests: [...requests.values()],
      jobs,
      timers,
      timeline,
    };
  }

  /** Jobs by id, looked up together; `undefined` where Redis no longer holds the id (removed, or lost). */
  private jobsById(queueName: string, ids: readonly string[]) {
    const queue = this.registry.get(queueName);
    return Promise.all(
      ids.map(async (id) => {
        const job = (await queue.getJob(id)) as Job | undefined;
        return job ? { job, state: (await job.getState()) as JobState | 'unknown' } : undefined;
      }),
    );
  }

  /**
   * The reminder, due and escalation timers of each clock's last generations, found by id, by fire time. Ids
   * Redis no longer holds (fired and removed after an hour, or lost with Redis) are left out.
   */
  private async timers(clocks: Record<string, any>[]): Promise<TimerView[]> {
    const wanted: { id: string; timer: TimerKind; clock: string; generation: number; current: boolean }[] = [];
    for (const c of clocks) {
      const last = c['generation'] as number;
      for (let generation = Math.max(0, last - GENERATIONS_TRACED + 1); generation <= last; generation += 1) {
        for (const timer of TIMER_KINDS) {
          const id = timerJobId(c['id'] as string, timer, generation);
          wanted.push({ id, timer, clock: c['clock'] as string, generation, current: generation === last });
        }
      }
    }
    const found = await this.jobsById(
      QUEUES.clockTimers,
      wanted.map((w) => w.id),
    );
    const timers: TimerView[] = [];
    found.forEach((f, i) => {
      if (!f) return;
      const { job, state } = f;
      timers.push({
        ...wanted[i]!,
        state,
        armedAt: new Date(job.timestamp).toISOString(),
        fireAt: new Date(job.timestamp + (job.delay ?? 0)).toISOString(),
        processedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
        finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        attemptsMade: job.attemptsMade,
        failedReason: job.failedReason || null,
        result: timerResult(job.returnvalue),
      });
    });
    return timers.sort((a, b) => a.fireAt.localeCompare(b.fireAt) || a.id.localeCompare(b.id));
  }
}
