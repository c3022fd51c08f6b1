import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, findDivision, type IsoDate, planClock, toShanghaiDate, type Clock } from '@minsheng/domain';
import { CLOCK_COLUMNS, clockFacts, type ClockRow, loadCalendarSet, InjectClock } from '@minsheng/infra';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { caseScope } from '../tasks/task-scope.js';
import { seesEverything } from './staff-scope.js';

/** `calendar-missing`: the count reaches a year with no published calendar, so there is no due time yet. */
export type ClockState = 'on-time' | 'at-risk' | 'late' | 'paused' | 'stopped' | 'ended' | 'calendar-missing';

function stateOf(row: ClockRow, now: Date): ClockState {
  if (row.stopped_at) return 'stopped';
  if (row.paused_at) return 'paused';
  if (row.kind === 'period') return row.ended_at ? 'ended' : row.due_at === null ? 'calendar-missing' : 'on-time';
  if (row.breached_at) return 'late';
  if (row.due_at === null) return 'calendar-missing';
  if (new Date(row.due_at) <= now) return 'late';
  if (row.reminded_at || (row.remind_at && new Date(row.remind_at) <= now)) return 'at-risk';
  return 'on-time';
}

/** A case's clocks, each with the reasoning behind its due date (for the reviewer and for an appeal). */
@Injectable()
export class CaseClocks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async of(caseId: string, staff: StaffIdentity) {
    // The same scope as every staff case read (a case is the caller's when one of its tasks is); operators, who
    // repair stuck work, see every case.
    const params: unknown[] = [caseId];
    const scope = seesEverything(staff) ? 'true' : caseScope('c', staff, params);
    const [found] = (await this.dataSource.query(
      `SELECT c.id, c.tracking_number, c.item_code, c.department_code, c.accepting_division FROM cases c
       WHERE c.id = $1 AND ${scope}`,
      params,
    )) as {
      id: string;
      tracking_number: string;
      item_code: string;
      department_code: string;
      accepting_division: string;
    }[];
    // A case outside the caller's scope is indistinguishable from one that does not exist.
    if (!found) throw new DomainError('CASE.NOT_FOUND', `no case ${caseId} in your scope`, { caseId });
    const rows = (await this.dataSource.query(
      `SELECT ${CLOCK_COLUMNS} FROM case_clocks WHERE case_id = $1 ORDER BY started_at, clock`,
      [caseId],
    )) as ClockRow[];
    const set = await loadCalendarSet(this.dataSource);
    const now = this.clock.now();
    return {
      caseId: found.id,
      trackingNumber: found.tracking_number,
      itemCode: found.item_code,
      department: found.department_code,
      office: {
        divisionCode: found.accepting_division,
        divisionName: findDivision(found.accepting_division)?.name ?? null,
      },
      asOf: now.toISOString(),
      clocks: rows.map((row) => {
        const dueAt = row.due_at === null ? null : new Date(row.due_at);
        const due: IsoDate | null = dueAt === null ? null : toShanghaiDate(new Date(dueAt.getTime() - 1));
        // Counted afresh with the calendars published now: the same count the engine and a publication make.
        const plan = planClock(clockFacts(row), set);
        return {
          // The id the clock's timer jobs and alerts name (clock-<id>-<kind>-g<generation>).
          id: row.id,
          clock: row.clock,
          kind: row.kind,
          state: stateOf(row, now),
          // The limit in force (45 after a 低保 30 → 45 extension) and the one the clock started with.
          limit: {
            amount: plan.explanation.amount,
            originalAmount: row.limit_amount,
            unit: row.unit,
            source: row.source,
            evidence: row.evidence,
          },
          /** `statutory` (a breach escalates) or `target` (a service target: reminds, shows late, no escalation). */
          basis: row.basis,
          region: row.region,
          startedAt: new Date(row.started_at).toISOString(),
          startDate: toShanghaiDate(new Date(row.started_at)),
          due,
          dueAt: dueAt?.toISOString() ?? null,
          /** The due date was counted in a provisional calendar (`explanation.count.unconfirmed` lists which). */
          provisional: row.due_provisional,
          /** The calendar a due date waits for (`national/2027`); null when the clock has one. */
          calendarMissing: row.calendar_missing,
          /** The due day the explanation arrives at; differs from `due` only while a recomputation is pending. */
          explainedDue: plan.due,
          timeToBreachSeconds:
            row.stopped_at || dueAt === null ? null : Math.round((dueAt.getTime() - now.getTime()) / 1000),
          pausedAt: row.paused_at,
          pauses: row.pauses,
          extensions: row.extensions,
          stoppedAt: row.stopped_at,
          remindAt: row.remind_at,
          remindedAt: row.reminded_at,
          breachedAt: row.breached_at,
          escalatedAt: row.escalated_at,
          endedAt: row.ended_at,
          generation: row.generation,
          explanation: plan.explanation,
        };
      }),
    };
  }
}
