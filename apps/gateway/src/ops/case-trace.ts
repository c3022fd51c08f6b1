import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@minsheng/domain';
import { caseCommandJobId, QUEUES } from '@minsheng/infra';
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
  readonly jobs: JobView[];
  readonly timeline: TraceEntry[];
}

const iso = (value: Date | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

/**
 * Correlation for operators: the requests (request ids stored on case_events and outbox), the jobs of the case's
 * commands (job id from the command id), the events, tasks and clocks of one case, in time order. Ids, types and
 * times only: no payload, so no personal data.
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
                request_id, created_at, available_at, sent_at, attempts
         FROM outbox WHERE case_id = $1 ORDER BY id`),
      q(`SELECT id, step, kind, status, level, department_code, division_code, opened_at, due_at, closed_at,
                decision->>'outcome' AS outcome
         FROM tasks WHERE case_id = $1 ORDER BY opened_at`),
      q(`SELECT clock, kind, started_at, due_at, paused_at, stopped_at, reminded_at, breached_at, generation
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

    const queue = this.registry.get(QUEUES.caseCommands);
    const commandIds = [
      ...new Set(outbox.map((o) => o['command_id'] as string | null).filter((id): id is string => !!id)),
    ];
    const jobs: JobView[] = [];
    for (const commandId of commandIds) {
      const job = await queue.getJob(caseCommandJobId(commandId));
      if (!job) continue;
      const view = jobView(job, await job.getState());
      jobs.push(view);
      const detail = {
        jobId: view.id,
        queue: queue.name,
        commandId,
        requestId: (job.data as { requestId?: string | null }).requestId ?? null,
      };
      push(view.createdAt, 'job.queued', detail);
      push(view.processedAt, 'job.started', { ...detail, attemptsMade: view.attemptsMade });
      push(view.finishedAt, `job.${view.state === 'failed' ? 'failed' : 'finished'}`, {
        ...detail,
        state: view.state,
        failedReason: view.failedReason,
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
      timeline,
    };
  }
}
