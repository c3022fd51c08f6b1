import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { type Clock } from '@minsheng/domain';
import {
  chainEvents,
  CLOCK_COLUMNS,
  type ClockRow,
  type ClockTimer,
  eventColumns,
  eventUnnest,
  InjectClock,
  type NewCaseEvent,
  type OutboxMessage,
  outboxColumns,
  outboxUnnest,
  type Queryable,
} from '@minsheng/infra';
import { SUPPLEMENT_WINDOW_CLOCK, type NoticePeriodEndedEvent, type SupplementLapsedEvent } from '@minsheng/workflows';
import { UUID } from '../engine/case-engine.js';
import { eachInSavepoint } from '../queues/savepoint-each.js';
import { type TogetherResult } from '../queues/together-or-alone.js';
import { type TimerKind } from './clock-timing.js';
import { fired, type Mark } from './fired-marks.js';
import { levelAbove } from './escalation-level.js';

export type TimerOutcome =
  | { outcome: 'done'; action: 'reminded' | 'breached' | 'target-missed' | 'period-ended' | 'escalated' }
  | {
      outcome: 'skipped';
      reason:
        'no-clock' | 'generation-moved' | 'stopped' | 'paused' | 'already-fired' | 'no-due-date' | 'service-target';
    };

/** A timer job as it fires: which of the clock's timers, for which generation. */
export interface TimerFire {
  readonly kind: TimerKind;
  readonly timer: ClockTimer;
}

/** Task priorities the timers raise to (never lower): reminded, breached, escalated. */
const PRIORITY = { reminder: 1, due: 2, escalation: 3 } as const;
const ACTOR = 'system:timer';

interface CaseHead {
  last_event_seq: number;
  last_event_hash: string | null;
  department_code: string;
  accepting_division: string;
  item_code: string;
}

/** The clock row with the step's latest open task (NULLs without one): where an escalation goes. */
interface TimerClockRow extends ClockRow {
  task_level: string | null;
  task_department: string | null;
  task_division: string | null;
}

interface EscalationTask {
  summary: { step: string; level: string; division: string; department: string };
  details: { clock: string; dueAt: string | null; fromLevel: string | null };
  priority: number;
}

interface TimerWrite {
  mark: Mark;
  at: Date;
  /** Raise the step's open tasks to at least this. */
  priority?: number;
  escalation?: EscalationTask;
  event?: NewCaseEvent;
  command?: OutboxMessage;
}

/** A command id derived from the timer, so a retried breach never sends the machine a second command. */
function commandIdOf(clockId: string, kind: TimerKind, generation: number): string {
  const hex = createHash('sha256').update(`${clockId}/${kind}/${generation}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * What a timer does when it fires. Each runs in one transaction that locks the case row and then the clock row
 * (the lock order, docs/operations.md "Lock order", libs/infra lock-order.ts), re-reads the clock and
 * acts only if the generation is the one the timer was armed for and the clock is running: a paused, stopped,
 * extended or recomputed clock makes every older timer a no-op. `reminded_at`, `breached_at`, `escalated_at` and
 * `ended_at` make each fire once, even when BullMQ delivers a job twice. A lone fire is four round trips: BEGIN with the
 * case lock, the clock with its step's task, one write of every effect ({@link writeTimerEffects}) and COMMIT; in a
 * batch (`fireTogether`) three per timer and two per batch.
 */
@Injectable()
export class ClockTimerActions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async fire(kind: TimerKind, timer: ClockTimer): Promise<TimerOutcome> {
    return this.onConnection(async (client, q) => {
      try {
        const head = await lockCase(client, 'BEGIN; ', timer.clockId);
        const outcome = await this.fireIn(q, head, { kind, timer });
        await client.query('COMMIT');
        return outcome;
      } catch (error) {
        // A broken connection fails the ROLLBACK too: the pool drops that client; the timer's own error is reported.
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * Several timers in one transaction (docs/architecture.md "Due timers together"): their cases locked first, all in
   * one statement in case id order (the order every batch, the engine's too, locks in, so batches wait for each other
   * but do not deadlock), then each timer as `fire` runs it, inside its own SAVEPOINT, and one COMMIT. A timer that
   * fails is rolled back to its savepoint alone and answered `{ error }` (the caller runs it again alone); the
   * others stay. Throws when the transaction itself fails (the connection, the COMMIT): then nothing was written.
   * Timers must name distinct clocks, by UUID.
   */
  async fireTogether(fires: readonly TimerFire[]): Promise<TogetherResult<TimerOutcome>[]> {
    const ids = fires.map(({ timer }) => {
      if (!UUID.test(timer.clockId)) throw new Error('fireTogether takes timers with UUID clock ids only');
      return `'${timer.clockId}'`;
    });
    // One round trip begins the transaction and locks every case in case id order (the ids, checked to be UUIDs
    // just above, written into the text); then one opens each timer: the previous timer's savepoint released, this
    // one's taken, its case locked again (held already: it reads the head the timers before it in the batch left).
    const locks = `SELECT 1 FROM cases WHERE id IN (SELECT case_id FROM case_clocks WHERE id IN (${ids.join(', ')}))
           ORDER BY id FOR UPDATE`;
    return this.onConnection((client, q) =>
      eachInSavepoint(client, fires, { savepoint: 'timer', locks }, async (fire, opening) =>
        this.fireIn(q, await lockCase(client, opening, fire.timer.clockId), fire),
      ),
    );
  }

  /** A pooled connection of its own, in plain SQL: openings go with the case lock in one round trip. */
  private async onConnection<T>(work: (client: PoolClient, q: Queryable) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      return await work(client, { query: async (sql, values) => (await client.query(sql, values)).rows });
    } finally {
      await runner.release();
    }
  }

  private async fireIn(tx: Queryable, head: CaseHead | undefined, { kind, timer }: TimerFire): Promise<TimerOutcome> {
    if (!head) return { outcome: 'skipped', reason: 'no-clock' };
    // The clock with the step's latest open task beside it (where an escalation goes), read after the case lock so
    // the task is the one the last committed step left.
    const [clock] = (await tx.query(
      `SELECT cc.*, t.level AS task_level, t.department_code AS task_department, t.division_code AS task_division
       FROM (SELECT ${CLOCK_COLUMNS} FROM case_clocks WHERE id = $1 FOR UPDATE) cc
       LEFT JOIN LATERAL (
         SELECT level, department_code, division_code FROM tasks
         WHERE case_id = cc.case_id AND closed_at IS NULL AND kind <> 'escalation'
           AND (cc.clock = 'overall' OR step = cc.clock)
         ORDER BY opened_at DESC LIMIT 1) t ON true`,
      [timer.clockId],
    )) as TimerClockRow[];
    if (!clock) return { outcome: 'skipped', reason: 'no-clock' };
    if (clock.generation !== timer.generation) return { outcome: 'skipped', reason: 'generation-moved' };
    if (clock.stopped_at) return { outcome: 'skipped', reason: 'stopped' };
    if (clock.paused_at) return { outcome: 'skipped', reason: 'paused' };
    if (clock.due_at === null) return { outcome: 'skipped', reason: 'no-due-date' };
    switch (kind) {
      case 'reminder':
        return this.remind(tx, head, clock);
      case 'due':
        if (clock.kind === 'period') return this.endPeriod(tx, head, clock);
        return clock.basis === 'target' ? this.missTarget(tx, head, clock) : this.breach(tx, head, clock);
      case 'escalation':
        // Only the law's limits are escalated; a service target stays with the office (docs/clocks.md).
        if (clock.basis === 'target') return { outcome: 'skipped', reason: 'service-target' };
        return this.escalate(tx, head, clock);
    }
  }

  private async remind(tx: Queryable, head: CaseHead, clock: TimerClockRow): Promise<TimerOutcome> {
    if (fired(clock, 'reminded_at') || fired(clock, 'breached_at') || clock.kind !== 'deadline') {
      return { outcome: 'skipped', reason: 'already-fired' };
    }
    const now = this.clock.now();
    await writeTimerEffects(tx, head, clock, {
      mark: 'reminded_at',
      at: now,
      priority: PRIORITY.reminder,
      event: this.event(clock, 'SLA_REMINDER', {}, now),
    });
    return { outcome: 'done', action: 'reminded' };
  }

  /** 逾期: record it, raise the step's priority, hand it to the supervisor one level up, and tell the machine. */
  private async breach(tx: Queryable, head: CaseHead, clock: TimerClockRow): Promise<TimerOutcome> {
    if (fired(clock, 'breached_at')) return { outcome: 'skipped', reason: 'already-fired' };
    const now = this.clock.now();
    const escalation = escalationTask(head, clock, `${clock.clock}-escalation`, 1);
    await writeTimerEffects(tx, head, clock, {
      mark: 'breached_at',
      at: now,
      priority: PRIORITY.due,
      escalation,
      event: this.event(clock, 'SLA_BREACHED', { escalationTask: escalation.summary }, now),
      command: {
        kind: 'case.command',
        caseId: clock.case_id,
        payload: {
          caseId: clock.case_id,
          commandId: commandIdOf(clock.id, 'due', clock.generation),
          event: { type: 'CLOCK_BREACHED', clock: clock.clock },
          actor: ACTOR,
        },
      },
    });
    return { outcome: 'done', action: 'breached' };
  }

  /**
   * A service target ran out (a limit no statute or regulation sets, docs/clocks.md): the step shows as late on the
   * SLA board and its task's priority rises, but no supervisor is handed a 督办 and the machine is not told of a
   * breach, because no legal limit was broken.
   */
  private async missTarget(tx: Queryable, head: CaseHead, clock: TimerClockRow): Promise<TimerOutcome> {
    if (fired(clock, 'breached_at')) return { outcome: 'skipped', reason: 'already-fired' };
    const now = this.clock.now();
    await writeTimerEffects(tx, head, clock, {
      mark: 'breached_at',
      at: now,
      priority: PRIORITY.due,
      event: this.event(clock, 'SLA_TARGET_MISSED', { basis: clock.basis, evidence: clock.evidence }, now),
    });
    return { outcome: 'done', action: 'target-missed' };
  }

  /**
   * A waiting period ran out: an ordinary event for the machine, not a breach. The end of the applicant's window to
   * supply missing material is SUPPLEMENT_LAPSED (docs/clocks.md "Supplement window"); any other period (公示,
   * objection and re-review windows) is NOTICE_PERIOD_ENDED with the clock's name.
   */
  private async endPeriod(tx: Queryable, head: CaseHead, clock: TimerClockRow): Promise<TimerOutcome> {
    if (fired(clock, 'ended_at')) return { outcome: 'skipped', reason: 'already-fired' };
    const lapsed: SupplementLapsedEvent = { type: 'SUPPLEMENT_LAPSED', actor: ACTOR };
    const ended: NoticePeriodEndedEvent = { type: 'NOTICE_PERIOD_ENDED', clock: clock.clock };
    const event = clock.clock === SUPPLEMENT_WINDOW_CLOCK ? { ...lapsed } : { ...ended };
    await writeTimerEffects(tx, head, clock, {
      mark: 'ended_at',
      at: this.clock.now(),
      command: {
        kind: 'case.command',
        caseId: clock.case_id,
        payload: {
          caseId: clock.case_id,
          commandId: commandIdOf(clock.id, 'due', clock.generation),
          event,
          actor: ACTOR,
        },
      },
    });
    return { outcome: 'done', action: 'period-ended' };
  }

  private async escalate(tx: Queryable, head: CaseHead, clock: TimerClockRow): Promise<TimerOutcome> {
    if (clock.kind !== 'deadline' || !fired(clock, 'breached_at') || fired(clock, 'escalated_at')) {
      return { outcome: 'skipped', reason: 'already-fired' };
    }
    const now = this.clock.now();
    const escalation = escalationTask(head, clock, `${clock.clock}-escalation-2`, 2);
    await writeTimerEffects(tx, head, clock, {
      mark: 'escalated_at',
      at: now,
      priority: PRIORITY.escalation,
      escalation,
      event: this.event(clock, 'SLA_ESCALATED', { escalationTask: escalation.summary }, now),
    });
    return { outcome: 'done', action: 'escalated' };
  }

  private event(clock: ClockRow, type: string, extra: Record<string, unknown>, at: Date): NewCaseEvent {
    return {
      id: randomUUID(),
      type,
      actor: ACTOR,
      payload: {
        clock: clock.clock,
        dueAt: clock.due_at === null ? null : new Date(clock.due_at).toISOString(),
        generation: clock.generation,
        ...extra,
      },
      occurredAt: at,
    };
  }
}

const LOCK_CASE_OF_CLOCK = (clockId: string) =>
  `SELECT last_event_seq, last_event_hash, department_code, accepting_division, item_code
   FROM cases WHERE id = (SELECT case_id FROM case_clocks WHERE id = ${clockId}) FOR UPDATE`;

/**
 * The timer's case, locked (its id read from the clock row, which never changes it), before its clock: the lock
 * order of docs/operations.md "Lock order", in one round trip with `opening` (BEGIN, the savepoints). The simple
 * query protocol takes no parameters, so a UUID clock id is written into the text; any other id opens and looks up
 * separately, with a parameter (PostgreSQL refuses it as no uuid, as it always did).
 */
async function lockCase(client: PoolClient, opening: string, clockId: string): Promise<CaseHead | undefined> {
  if (UUID.test(clockId)) {
    const answers = (await client.query(`${opening}${LOCK_CASE_OF_CLOCK(`'${clockId}'`)}`)) as unknown as
      { rows: CaseHead[] }[] | { rows: CaseHead[] };
    return (Array.isArray(answers) ? answers.at(-1)! : answers).rows[0];
  }
  await client.query(opening);
  return (await client.query<CaseHead>(`${LOCK_CASE_OF_CLOCK('$1')}`, [clockId])).rows[0];
}

/**
 * The task of kind `escalation` for the supervisor `levels` levels above the late step, in the same department.
 * The late step's open task says where it stands; without one (the overall clock between steps), the case's
 * accepting office does.
 */
function escalationTask(head: CaseHead, clock: TimerClockRow, step: string, levels: number): EscalationTask {
  let at = { level: clock.task_level ?? 'street', division: clock.task_division ?? head.accepting_division };
  for (let i = 0; i < levels; i++) at = levelAbove(at.level, at.division);
  const department = clock.task_department ?? head.department_code;
  return {
    summary: { step, level: at.level, division: at.division, department },
    details: {
      clock: clock.clock,
      dueAt: clock.due_at === null ? null : new Date(clock.due_at).toISOString(),
      fromLevel: clock.task_level,
    },
    priority: PRIORITY.due + levels - 1,
  };
}

/**
 * Everything a timer changes, in one statement (round trips cost more than anything else: docs/architecture.md
 * "Where the time goes"; bench/README.md counts): the clock's mark, the step's open tasks raised to `priority` (never lowered), the
 * escalation task, the case event chained onto the locked head and the outbox command. The caller holds the case and
 * clock rows locked and has checked the clock's generation, state and mark, so a stale or second delivery never
 * reaches here.
 */
async function writeTimerEffects(tx: Queryable, head: CaseHead, clock: ClockRow, w: TimerWrite): Promise<void> {
  const params: unknown[] = [clock.id, w.at.toISOString(), clock.case_id, clock.clock];
  const p = (value: unknown): string => `$${params.push(value)}`;
  // The mark's row is the locked clock; naming its case and name there types $3 and $4 when no other part uses them.
  const parts = [
    `marked AS (UPDATE case_clocks SET ${w.mark} = $2 WHERE id = $1 AND case_id = $3::uuid AND clock = $4::text)`,
  ];
  if (w.priority !== undefined) {
    parts.push(`raised AS (
       UPDATE tasks SET priority = GREATEST(priority, ${p(w.priority)}::int)
       WHERE case_id = $3 AND closed_at IS NULL AND kind <> 'escalation' AND ($4 = 'overall' OR step = $4))`);
  }
  if (w.escalation) {
    const { summary, details, priority } = w.escalation;
    parts.push(`escalation AS (
       INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code, details, priority,
                          due_at, outcomes)
       VALUES ($3, ${p(summary.step)}, 'escalation', ${p(summary.level)}, ${p(summary.department)},
               ${p(summary.division)}, ${p(head.item_code)}, ${p(JSON.stringify(details))}::jsonb, ${p(priority)}::int,
               NULL, '{acknowledge}')
       ON CONFLICT (case_id, step) WHERE closed_at IS NULL DO NOTHING)`);
  }
  if (w.command) {
    const first = params.length + 1;
    params.push(...outboxColumns([w.command]));
    parts.push(`queued AS (
       INSERT INTO outbox (kind, case_id, payload, request_id, available_at)
       SELECT m.kind, m.case_id, m.payload, m.request_id, coalesce(m.available_at, now()) FROM ${outboxUnnest(first)})`);
  }
  let last = 'SELECT 1';
  if (w.event) {
    const [chained] = chainEvents(clock.case_id, { seq: head.last_event_seq, hash: head.last_event_hash }, [w.event]);
    const seq = p(chained!.seq);
    const hash = p(chained!.hash);
    const first = params.length + 1;
    params.push(...eventColumns([chained!]));
    parts.push(`inserted AS (
       INSERT INTO case_events (case_id, seq, id, type, actor, payload, occurred_at, request_id, prev_hash, hash)
       SELECT $3, e.seq, e.id, e.type, e.actor, e.payload, e.occurred_at, e.request_id, e.prev_hash, e.hash
       FROM ${eventUnnest(first)})`);
    last = `UPDATE cases SET last_event_seq = ${seq}::int, last_event_hash = ${hash}, updated_at = now() WHERE id = $3`;
  }
  await tx.query(`WITH ${parts.join(',\n     ')}\n     ${last}`, params);
}
