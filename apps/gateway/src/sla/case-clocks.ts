import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, findDivision, type IsoDate, toShanghaiDate } from '@minsheng/domain';
import { CLOCK_COLUMNS, clockFacts, type ClockRow, loadCalendarSet, scheduleClock } from '@minsheng/infra';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { caseScope } from '../tasks/task-scope.js';
import { seesEverything } from './staff-scope.js';

export type ClockState = 'on-time' | 'at-risk' | 'late' | 'paused' | 'stopped' | 'ended';

function stateOf(row: ClockRow, now: Date): ClockState {
  if (row.stopped_at) return 'stopped';
  if (row.paused_at) return 'paused';
  if (row.kind === 'period') return row.ended_at ? 'ended' : 'on-time';
  if (row.breached_at || new Date(row.due_at) <= now) return 'late';
  if (row.reminded_at || (row.remind_at && new Date(row.remind_at) <= now)) return 'at-risk';
  return 'on-time';
}

/** A case's clocks, each with the reasoning behind its due date (for the reviewer and for an appeal). */
@Injectable()
export class CaseClocks {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
    const now = new Date();
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
        let explanation: unknown = row.explanation;
        const due: IsoDate = toShanghaiDate(new Date(new Date(row.due_at).getTime() - 1));
        let explainedDue: IsoDate | null = null;
        try {
          const schedule = scheduleClock(clockFacts(row), set);
          explanation = schedule.explanation;
          explainedDue = schedule.due;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          // The count reaches an unpublished year: show what the engine stored, flagged, not a fresh guess.
          explanation = { ...row.explanation, recomputable: false, reason: error.code };
        }
        const dueAt = new Date(row.due_at);
        return {
          clock: row.clock,
          kind: row.kind,
          state: stateOf(row, now),
          limit: { amount: row.limit_amount, unit: row.unit, source: row.source },
          region: row.region,
          startedAt: new Date(row.started_at).toISOString(),
          startDate: toShanghaiDate(new Date(row.started_at)),
          due,
          dueAt: dueAt.toISOString(),
          /** The due day the explanation arrives at; differs from `due` only while a recomputation is pending. */
          explainedDue,
          timeToBreachSeconds: row.stopped_at ? null : Math.round((dueAt.getTime() - now.getTime()) / 1000),
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
          explanation,
        };
      }),
    };
  }
}
