import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, findDivision, maskIdNumber } from '@minsheng/domain';
import { PiiCipher } from '@minsheng/infra';
import { PII_PURPOSE } from '../applications/submit-application.js';
import { portalTimeline, type LoggedEventRow } from './applicant-view.js';

interface CaseRow {
  id: string;
  tracking_number: string;
  item_code: string;
  procedure_id: string;
  status: string;
  current_steps: string[];
  department_code: string;
  accepting_division: string;
  approving_division: string;
  portal_reference: string | null;
  submitted_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  id_number_encrypted: string;
  due_at: Date | null;
  due_provisional: boolean | null;
  paused_at: Date | null;
  entitlement: Record<string, unknown> | null;
}

/**
 * The amount a decision granted, and whether it is provisional: computed from a parameter value that is an
 * assumption or used past its known validity (docs/domain.md §7; the engine stores the flag with the amount). Null
 * until an amount is granted. Publishing a confirmed value clears it for amounts computed afterwards only.
 */
export function grantedAmount(
  entitlement: unknown,
): { readonly monthlyAmountFen: number | null; readonly provisional: boolean } | null {
  if (typeof entitlement !== 'object' || entitlement === null || !('provisional' in entitlement)) return null;
  const { monthlyAmountFen, provisional } = entitlement as Record<string, unknown>;
  return {
    monthlyAmountFen: typeof monthlyAmountFen === 'number' ? monthlyAmountFen : null,
    provisional: provisional === true,
  };
}

/**
 * The portal's view of its cases. Authorization lives in the query (docs/architecture.md invariant 6): every read is
 * filtered by `portal_id`, so another portal's case is simply not found (404), never forbidden (which would
 * confirm it exists). Identity numbers are shown masked.
 */
@Injectable()
export class CaseReads {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
  ) {}

  async byId(portalId: string, caseId: string): Promise<Record<string, unknown>> {
    const row = (await this.rows(portalId, 'c.id = $2', [caseId]))[0];
    if (row === undefined) throw notFound();
    return { ...this.view(row), events: await this.timeline(row.id) };
  }

  async events(portalId: string, caseId: string): Promise<Record<string, unknown>> {
    const owned = (await this.dataSource.query(`SELECT 1 FROM cases WHERE id = $1 AND portal_id = $2`, [
      caseId,
      portalId,
    ])) as unknown[];
    if (owned.length === 0) throw notFound();
    return { caseId, items: await this.timeline(caseId) };
  }

  async byPortalReference(portalId: string, portalReference: string): Promise<Record<string, unknown>> {
    const rows = await this.rows(portalId, 'c.portal_reference = $2', [portalReference]);
    return { items: rows.map((row) => this.view(row)) };
  }

  private rows(portalId: string, where: string, params: unknown[]): Promise<CaseRow[]> {
    return this.dataSource.query(
      `SELECT c.id, c.tracking_number, c.item_code, c.procedure_id, c.status, c.current_steps, c.department_code,
              c.accepting_division, c.approving_division, c.portal_reference, c.submitted_at, c.updated_at,
              c.closed_at, a.id_number_encrypted, k.due_at, k.due_provisional, k.paused_at,
              c.entitlement
         FROM cases c
         JOIN applicants a ON a.id = c.applicant_id
         LEFT JOIN case_clocks k ON k.case_id = c.id AND k.clock = 'overall' AND k.stopped_at IS NULL
        WHERE c.portal_id = $1 AND ${where}`,
      [portalId, ...params],
    ) as Promise<CaseRow[]>;
  }

  private view(row: CaseRow): Record<string, unknown> {
    return {
      caseId: row.id,
      trackingNumber: row.tracking_number,
      itemCode: row.item_code,
      procedureId: row.procedure_id,
      status: row.status,
      currentSteps: row.current_steps,
      leadDepartment: row.department_code,
      acceptingOffice: office(row.accepting_division),
      approvingOffice: office(row.approving_division),
      portalReference: row.portal_reference,
      applicant: {
        idNumber: maskIdNumber(this.cipher.decrypt(row.id_number_encrypted, PII_PURPOSE.idNumber)),
      },
      submittedAt: row.submitted_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      closedAt: row.closed_at?.toISOString() ?? null,
      dueAt: row.due_at?.toISOString() ?? null,
      // The due date rests on a provisional calendar (a year drafted before the State Council's notice): it may move.
      dueProvisional: row.due_at !== null && row.due_provisional === true,
      clockPaused: row.paused_at !== null,
      amount: grantedAmount(row.entitlement),
      links: { self: `/v1/cases/${row.id}`, events: `/v1/cases/${row.id}/events` },
    };
  }

  private async timeline(caseId: string): Promise<Record<string, unknown>[]> {
    const events = (await this.dataSource.query(
      `SELECT id, seq, type, actor, payload, occurred_at FROM case_events WHERE case_id = $1 ORDER BY seq LIMIT 1000`,
      [caseId],
    )) as LoggedEventRow[];
    // Who acted by role and office, never which member of staff; no staff free text (docs/api.md).
    return portalTimeline(events);
  }
}

function office(code: string): { divisionCode: string; divisionName: string | null } {
  return { divisionCode: code, divisionName: findDivision(code)?.name ?? null };
}

function notFound(): DomainError {
  return new DomainError('CASE.NOT_FOUND', 'no case of this portal has this id');
}
