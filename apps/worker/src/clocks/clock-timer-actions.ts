import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Clock } from '@minsheng/domain';
import {
  appendCaseEvents,
  InjectClock,
  CLOCK_COLUMNS,
  type ClockRow,
  type ClockTimer,
  type NewCaseEvent,
  writeOutbox,
} from '@minsheng/infra';
import { SUPPLEMENT_WINDOW_CLOCK, type NoticePeriodEndedEvent, type SupplementLapsedEvent } from '@minsheng/workflows';
import { type TimerKind } from './clock-timing.js';
import { fired } from './fired-marks.js';
import { levelAbove } from './escalation-level.js';

export type TimerOutcome =
  | { outcome: 'done'; action: 'reminded' | 'breached' | 'target-missed' | 'period-ended' | 'escalated' }
  | {
      outcome: 'skipped';
      reason:
        'no-clock' | 'generation-moved' | 'stopped' | 'paused' | 'already-fired' | 'no-due-date' | 'service-target';
    };

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

/** A command id derived from the timer, so a retried breach never sends the machine a second command. */
function commandIdOf(clockId: string, kind: TimerKind, generation: number): string {
  const hex = createHash('sha256').update(`${clockId}/${kind}/${generation}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * What a timer does when it fires. Each runs in one transaction that locks the case row and then the clock row
 * and the step's tasks (the lock order, docs/operations.md "Lock order", libs/infra lock-order.ts), re-reads the clock and
 * acts only if the generation is the one the timer was armed for and the clock is running: a paused, stopped,
 * extended or recomputed clock makes every older timer a no-op. `reminded_at`, `breached_at`, `escalated_at` and
 * `ended_at` make each fire once, even when BullMQ delivers a job twice.
 */
@Injectable()
export class ClockTimerActions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async fire(kind: TimerKind, timer: ClockTimer): Promise<TimerOutcome> {
    const [ref] = (await this.dataSource.query(`SELECT case_id FROM case_clocks WHERE id = $1`, [timer.clockId])) as {
      case_id: string;
    }[];
    if (!ref) return { outcome: 'skipped', reason: 'no-clock' };
    return this.dataSource.transaction(async (tx) => {
      const [head] = (await tx.query(
        `SELECT last_event_seq, last_event_hash, department_code, accepting_division, item_code
         FROM cases WHERE id = $1 FOR UPDATE`,
        [ref.case_id],
      )) as CaseHead[];
      const [clock] = (await tx.query(`SELECT ${CLOCK_COLUMNS} FROM case_clocks WHERE id = $1 FOR UPDATE`, [
        timer.clockId,
      ])) as ClockRow[];
      if (!head || !clock) return { outcome: 'skipped', reason: 'no-clock' };
      if (clock.generation !== timer.generation) return { outcome: 'skipped', reason: 'generation-moved' };
      if (clock.stopped_at) return { outcome: 'skipped', reason: 'stopped' };
      if (clock.paused_at) return { outcome: 'skipped', reason: 'paused' };
      if (clock.due_at === null) return { outcome: 'skipped', reason: 'no-due-date' };
      switch (kind) {
        case 'reminder':
          return this.remind(tx, head, clock);
        case 'due':
          if (clock.kind === 'period') return this.endPeriod(tx, clock);
          return clock.basis === 'target' ? this.missTarget(tx, head, clock) : this.breach(tx, head, clock);
        case 'escalation':
          // Only the law's limits are escalated; a service target stays with the office (docs/clocks.md).
          if (clock.basis === 'target') return { outcome: 'skipped', reason: 'service-target' };
          return this.escalate(tx, head, clock);
      }
    });
  }

  private async remind(tx: EntityManager, head: CaseHead, clock: ClockRow): Promise<TimerOutcome> {
    if (fired(clock, 'reminded_at') || fired(clock, 'breached_at') || clock.kind !== 'deadline') {
      return { outcome: 'skipped', reason: 'already-fired' };
    }
    await tx.query(`UPDATE case_clocks SET reminded_at = $2 WHERE id = $1`, [clock.id, this.clock.now()]);
    await this.raisePriority(tx, clock, PRIORITY.reminder);
    await this.record(tx, head, clock, 'SLA_REMINDER', {});
    return { outcome: 'done', action: 'reminded' };
  }

  /** 逾期: record it, raise the step's priority, hand it to the supervisor one level up, and tell the machine. */
  private async breach(tx: EntityManager, head: CaseHead, clock: ClockRow): Promise<TimerOutcome> {
    if (fired(clock, 'breached_at')) return { outcome: 'skipped', reason: 'already-fired' };
    await tx.query(`UPDATE case_clocks SET breached_at = $2 WHERE id = $1`, [clock.id, this.clock.now()]);
    await this.raisePriority(tx, clock, PRIORITY.due);
    const escalation = await this.openEscalationTask(tx, head, clock, `${clock.clock}-escalation`, 1);
    await this.record(tx, head, clock, 'SLA_BREACHED', { escalationTask: escalation });
    await writeOutbox(tx, [
      {
        kind: 'case.command',
        caseId: clock.case_id,
        payload: {
          caseId: clock.case_id,
          commandId: commandIdOf(clock.id, 'due', clock.generation),
          event: { type: 'CLOCK_BREACHED', clock: clock.clock },
          actor: ACTOR,
        },
      },
    ]);
    return { outcome: 'done', action: 'breached' };
  }

  /**
   * A service target ran out (a limit no statute or regulation sets, docs/clocks.md): the step shows as late on the
   * SLA board and its task's priority rises, but no supervisor is handed a 督办 and the machine is not told of a
   * breach, because no legal limit was broken.
   */
  private async missTarget(tx: EntityManager, head: CaseHead, clock: ClockRow): Promise<TimerOutcome> {
    if (fired(clock, 'breached_at')) return { outcome: 'skipped', reason: 'already-fired' };
    await tx.query(`UPDATE case_clocks SET breached_at = $2 WHERE id = $1`, [clock.id, this.clock.now()]);
    await this.raisePriority(tx, clock, PRIORITY.due);
    await this.record(tx, head, clock, 'SLA_TARGET_MISSED', { basis: clock.basis, evidence: clock.evidence });
    return { outcome: 'done', action: 'target-missed' };
  }

  /**
   * A waiting period ran out: an ordinary event for the machine, not a breach. The end of the applicant's window to
   * supply missing material is SUPPLEMENT_LAPSED (docs/clocks.md "Supplement window"); any other period (公示,
   * objection and re-review windows) is NOTICE_PERIOD_ENDED with the clock's name.
   */
  private async endPeriod(tx: EntityManager, clock: ClockRow): Promise<TimerOutcome> {
    if (fired(clock, 'ended_at')) return { outcome: 'skipped', reason: 'already-fired' };
    await tx.query(`UPDATE case_clocks SET ended_at = $2 WHERE id = $1`, [clock.id, this.clock.now()]);
    const lapsed: SupplementLapsedEvent = { type: 'SUPPLEMENT_LAPSED', actor: ACTOR };
    const ended: NoticePeriodEndedEvent = { type: 'NOTICE_PERIOD_ENDED', clock: clock.clock };
    const event = clock.clock === SUPPLEMENT_WINDOW_CLOCK ? { ...lapsed } : { ...ended };
    await writeOutbox(tx, [
      {
        kind: 'case.command',
        caseId: clock.case_id,
        payload: {
          caseId: clock.case_id,
          commandId: commandIdOf(clock.id, 'due', clock.generation),
          event,
          actor: ACTOR,
        },
      },
    ]);
    return { outcome: 'done', action: 'period-ended' };
  }

  private async escalate(tx: EntityManager, head: CaseHead, clock: ClockRow): Promise<TimerOutcome> {
    if (clock.kind !== 'deadline' || !fired(clock, 'breached_at') || fired(clock, 'escalated_at')) {
      return { outcome: 'skipped', reason: 'already-fired' };
    }
    await tx.query(`UPDATE case_clocks SET escalated_at = $2 WHERE id = $1`, [clock.id, this.clock.now()]);
    await this.raisePriority(tx, clock, PRIORITY.escalation);
    const escalation = await this.openEscalationTask(tx, head, clock, `${clock.clock}-escalation-2`, 2);
    await this.record(tx, head, clock, 'SLA_ESCALATED', { escalationTask: escalation });
    return { outcome: 'done', action: 'escalated' };
  }

  /** The open tasks of the clock's step (every open task for the case's overall clock). */
  private async raisePriority(tx: EntityManager, clock: ClockRow, priority: number): Promise<void> {
    await tx.query(
      `UPDATE tasks SET priority = GREATEST(priority, $3)
       WHERE case_id = $1 AND closed_at IS NULL AND kind <> 'escalation' AND ($2 = 'overall' OR step = $2)`,
      [clock.case_id, clock.clock, priority],
    );
  }

  /**
   * Opens a task of kind `escalation` for the supervisor `levels` levels above the late step, in the same
   * department. The late step's open task says where it stands; without one (the overall clock between steps),
   * the case's accepting office does.
   */
  private async openEscalationTask(
    tx: EntityManager,
    head: CaseHead,
    clock: ClockRow,
    step: string,
    levels: number,
  ): Promise<{ step: string; level: string; division: string; department: string }> {
    const [task] = (await tx.query(
      `SELECT level, department_code, division_code FROM tasks
       WHERE case_id = $1 AND closed_at IS NULL AND kind <> 'escalation' AND ($2 = 'overall' OR step = $2)
       ORDER BY opened_at DESC LIMIT 1`,
      [clock.case_id, clock.clock],
    )) as { level: string; department_code: string; division_code: string }[];
    let at = { level: task?.level ?? 'street', division: task?.division_code ?? head.accepting_division };
    for (let i = 0; i < levels; i++) at = levelAbove(at.level, at.division);
    const department = task?.department_code ?? head.department_code;
    await tx.query(
      `INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code, details, priority,
                          due_at, outcomes)
       VALUES ($1, $2, 'escalation', $3, $4, $5, $6, $7, $8, NULL, '{acknowledge}')
       ON CONFLICT (case_id, step) WHERE closed_at IS NULL DO NOTHING`,
      [
        clock.case_id,
        step,
        at.level,
        department,
        at.division,
        head.item_code,
        JSON.stringify({
          clock: clock.clock,
          dueAt: clock.due_at === null ? null : new Date(clock.due_at).toISOString(),
          fromLevel: task?.level ?? null,
        }),
        PRIORITY.due + levels - 1,
      ],
    );
    return { step, level: at.level, division: at.division, department };
  }

  private async record(
    tx: EntityManager,
    head: CaseHead,
    clock: ClockRow,
    type: string,
    extra: Record<string, unknown>,
  ): Promise<void> {
    const event: NewCaseEvent = {
      id: randomUUID(),
      type,
      actor: ACTOR,
      payload: {
        clock: clock.clock,
        dueAt: clock.due_at === null ? null : new Date(clock.due_at).toISOString(),
        generation: clock.generation,
        ...extra,
      },
      occurredAt: this.clock.now(),
    };
    await appendCaseEvents(tx, clock.case_id, { seq: head.last_event_seq, hash: head.last_event_hash }, [event]);
  }
}
