import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, type Clock } from '@minsheng/domain';
import {
  appendCaseEvents,
  verifyChain,
  writeOutbox,
  type CaseCommand,
  type StoredEventRow,
  InjectClock,
  PiiCipher,
  readCaseNotes,
  transactionWithRetry,
  writeCaseNote,
  caseNoteRefsIn,
  withCaseNotesRead,
  type CaseNoteKind,
  type Queryable,
} from '@minsheng/infra';
import type { StaffIdentity } from '../auth/staff-identity.js';
import { actingDivision, actingOffice, caseScope, staffActor } from '../tasks/task-scope.js';
import { machineAccepts, type CaseMachineRow } from '../cases/machine-accepts.js';
import { grantedAmount } from '../cases/case-reads.js';
import type { AllocatedEvent, ObjectionFiledEvent } from '@minsheng/workflows';

/** The county housing authority (住房保障部门) allocates public rental housing (docs/domain.md §3.8). */
const ALLOCATING_OFFICE = { level: 'district' } as const;

interface ScopedCase extends CaseMachineRow {
  id: string;
  tracking_number: string;
  item_code: string;
  procedure_id: string;
  machine_id: string;
  machine_version: number;
  status: string;
  current_steps: string[];
  department_code: string;
  accepting_division: string;
  approving_division: string;
  facts: Record<string, unknown>;
  entitlement: unknown;
  version: number;
  last_event_seq: number;
  last_event_hash: string | null;
  submitted_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

/**
 * The staff view of a case: reachable only by staff of an office that has (or had) a task on it; any other case
 * is 404, whether it exists or not. Objections and extensions become commands the engine applies.
 */
@Injectable()
export class StaffCases {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
    private readonly cipher: PiiCipher,
  ) {}

  async byId(staff: StaffIdentity, caseId: string): Promise<Record<string, unknown>> {
    const row = await this.scoped(staff, caseId);
    const tasks = (await this.dataSource.query(
      `SELECT id, step, kind, level, department_code AS "departmentCode", division_code AS "divisionCode", status,
              due_at AS "dueAt", claimed_by AS "claimedBy", decided_by AS "decidedBy", opened_at AS "openedAt",
              closed_at AS "closedAt"
       FROM tasks WHERE case_id = $1 ORDER BY opened_at, id`,
      [caseId],
    )) as unknown[];
    const clocks = (await this.dataSource.query(
      // `limitAmount` is the limit in force (45 after a 低保 30 → 45 extension), as in GET …/clocks.
      `SELECT clock, kind,
              greatest(limit_amount, (SELECT max((e->>'toAmount')::int) FROM jsonb_array_elements(extensions) e))
                AS "limitAmount",
              limit_amount AS "originalLimitAmount", unit, started_at AS "startedAt", due_at AS "dueAt",
              due_provisional AS "provisional", basis, evidence, paused_at AS "pausedAt", stopped_at AS "stoppedAt", extensions
       FROM case_clocks WHERE case_id = $1 ORDER BY started_at, clock`,
      [caseId],
    )) as unknown[];
    return {
      id: row.id,
      trackingNumber: row.tracking_number,
      itemCode: row.item_code,
      procedure: { id: row.procedure_id, machine: row.machine_id, version: row.machine_version },
      status: row.status,
      currentSteps: row.current_steps,
      departmentCode: row.department_code,
      acceptingDivision: row.accepting_division,
      approvingDivision: row.approving_division,
      facts: row.facts,
      entitlement: row.entitlement,
      amount: grantedAmount(row.entitlement),
      version: row.version,
      submittedAt: row.submitted_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      closedAt: row.closed_at?.toISOString() ?? null,
      tasks,
      clocks,
    };
  }

  /**
   * Every event of the case, with the staff text its references point to read back from the case's notes: staff in
   * scope see the comments, findings, summaries and reasons the portal never does (docs/api.md "The applicant's
   * view"). The hashes are those of the stored payloads.
   */
  async events(staff: StaffIdentity, caseId: string) {
    await this.scoped(staff, caseId);
    const rows = await this.eventRows(caseId);
    const notes = await readCaseNotes(this.dataSource, this.cipher, caseNoteRefsIn(rows.map((e) => e.payload)));
    return {
      items: rows.map((e) => ({
        seq: e.seq,
        id: e.id,
        type: e.type,
        actor: e.actor,
        payload: withCaseNotesRead(e.payload, notes) as Record<string, unknown>,
        occurredAt: new Date(e.occurred_at).toISOString(),
        prevHash: e.prev_hash,
        hash: e.hash,
      })),
    };
  }

  /** Recomputes the hash chain from the stored events and says where it first breaks. */
  async verify(staff: StaffIdentity, caseId: string) {
    const row = await this.scoped(staff, caseId);
    const rows = await this.eventRows(caseId);
    const result = verifyChain(rows);
    const headMatches = rows.length === row.last_event_seq && (rows.at(-1)?.hash ?? null) === row.last_event_hash;
    return { caseId, ...result, headMatches };
  }

  /**
   * An objection received by staff (in person, by letter), during the 公示 or after a refusal where the procedure
   * allows one: taken exactly when the case's machine takes OBJECTION_FILED; the procedure opens its review.
   */
  async objection(staff: StaffIdentity, caseId: string, summary: string, requestId: string) {
    const event: ObjectionFiledEvent = { type: 'OBJECTION_FILED', actor: staffActor(staff) };
    return this.command(staff, caseId, requestId, 'OBJECTION_RECEIVED', event, async (note) => ({
      ...event,
      summary: await note('objection-summary', summary),
    }));
  }

  /** 低保: the 30 working days may be extended once to 45 with a recorded reason (民发〔2021〕57号). */
  async extension(staff: StaffIdentity, caseId: string, reason: string, requestId: string) {
    return this.command(staff, caseId, requestId, 'EXTENSION_REQUESTED', undefined, async (note) => ({
      type: 'EXTENSION_GRANTED',
      actor: staffActor(staff),
      reason: await note('extension-reason', reason),
    }));
  }

  /**
   * 公租房 配租: the housing authority allocates a unit to a household on its waiting list and records the lease;
   * taken only while the case's machine waits on the list (ALLOCATED), and only from the district office of the
   * case's lead department (docs/procedures.md).
   */
  async allocation(
    staff: StaffIdentity,
    caseId: string,
    allocated: { readonly unit: string; readonly lease: string; readonly leaseMonths?: number | undefined },
    requestId: string,
  ) {
    const event: AllocatedEvent = {
      type: 'ALLOCATED',
      actor: staffActor(staff),
      reference: allocated.unit,
      lease: allocated.lease,
      ...(allocated.leaseMonths === undefined ? {} : { leaseMonths: allocated.leaseMonths }),
    };
    return this.command(
      staff,
      caseId,
      requestId,
      'ALLOCATION_RECORDED',
      event,
      () => ({ ...event }),
      ALLOCATING_OFFICE,
    );
  }

  /**
   * The waiting list (轮候) of the caller's department in the caller's divisions: priority households first
   * (公共租赁住房管理办法 art. 37–40 as cited in docs/domain.md §3.8), then in the order they were registered.
   */
  async waitingList(staff: StaffIdentity, limit: number) {
    const params: unknown[] = [staff.department];
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.tracking_number AS "trackingNumber", c.item_code AS "itemCode",
              c.accepting_division AS "acceptingDivision",
              coalesce((c.entitlement -> 'details' ->> 'priority')::boolean, false) AS priority,
              c.entitlement ->> 'computedAt' AS "registeredAt"
       FROM cases c
       WHERE c.status = 'waiting-list' AND c.closed_at IS NULL AND c.department_code = $1
         AND ${caseScope('c', staff, params)}
       ORDER BY priority DESC, "registeredAt", c.id
       LIMIT ${limit}`,
      params,
    )) as unknown[];
    return { items: rows };
  }

  private async command(
    staff: StaffIdentity,
    caseId: string,
    requestId: string,
    eventType: string,
    /** The case's machine must take this event now (409 CASE.WRONG_STATUS otherwise). */
    machineMustAccept: ObjectionFiledEvent | AllocatedEvent | undefined,
    /** The event to send; staff free text goes into the case's notes, the event carries its reference. */
    eventOf: (
      note: (kind: CaseNoteKind, text: string) => Promise<string>,
    ) => Promise<CaseCommand['event']> | CaseCommand['event'],
    /** Only staff of this level in the case's lead department may send it (403 otherwise). */
    office?: { readonly level: string },
  ) {
    return transactionWithRetry(this.dataSource, async (m) => {
      const params: unknown[] = [caseId];
      const [row] = (await m.query(
        `SELECT c.id, c.status, c.closed_at, c.last_event_seq, c.last_event_hash, c.machine_id, c.machine_version,
                c.snapshot, c.department_code, c.accepting_division, c.approving_division
         FROM cases c
         WHERE c.id = $1 AND ${caseScope('c', staff, params)} FOR UPDATE`,
        params,
      )) as ScopedCase[];
      if (row === undefined) throw caseNotFound(caseId);
      if (office !== undefined && (staff.department !== row.department_code || staff.level !== office.level)) {
        throw new DomainError(
          'AUTH.FORBIDDEN',
          `only the ${office.level} office of ${row.department_code} records this`,
          { caseId, department: row.department_code, level: office.level },
        );
      }
      if (row.closed_at !== null) throw new DomainError('CASE.CLOSED', 'the case is closed', { caseId });
      if (machineMustAccept !== undefined && !machineAccepts(row, machineMustAccept)) {
        throw new DomainError(
          'CASE.WRONG_STATUS',
          `the case (${row.status}) does not take ${machineMustAccept.type} now`,
          {
            caseId,
            status: row.status,
          },
        );
      }
      const commandId = randomUUID();
      const actor = staffActor(staff);
      const now = this.clock.now();
      const q: Queryable = m;
      const event = await eventOf((kind, text) => writeCaseNote(q, this.cipher, { caseId, kind, body: text, at: now }));
      await appendCaseEvents(m, caseId, { seq: row.last_event_seq, hash: row.last_event_hash }, [
        {
          id: randomUUID(),
          type: eventType,
          actor,
          payload: { ...event, commandId, by: actingOffice(staff, actingDivision(staff, row)) },
          occurredAt: now,
          requestId,
        },
      ]);
      await writeOutbox(m, [
        { kind: 'case.command', caseId, payload: { caseId, commandId, event, actor, requestId }, requestId },
      ]);
      return { caseId, commandId, event: event.type };
    });
  }

  private async scoped(staff: StaffIdentity, caseId: string): Promise<ScopedCase> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(caseId)) throw caseNotFound(caseId);
    const params: unknown[] = [caseId];
    const [row] = (await this.dataSource.query(
      `SELECT c.* FROM cases c WHERE c.id = $1 AND ${caseScope('c', staff, params)}`,
      params,
    )) as ScopedCase[];
    if (row === undefined) throw caseNotFound(caseId);
    return row;
  }

  private async eventRows(caseId: string): Promise<StoredEventRow[]> {
    return (await this.dataSource.query(
      `SELECT case_id, seq, id, type, actor, payload, occurred_at, prev_hash, hash FROM case_events
       WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    )) as StoredEventRow[];
  }
}

function caseNotFound(caseId: string): DomainError {
  return new DomainError('CASE.NOT_FOUND', `no case ${caseId} among your office's cases`, { caseId });
}
