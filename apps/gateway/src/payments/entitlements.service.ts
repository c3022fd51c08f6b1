import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  type Clock,
  DomainError,
  type EntitlementChange,
  type EntitlementStatus,
  type PaymentSchedule,
  yearMonth,
} from '@minsheng/domain';
import { changeEntitlement, InjectClock, lockCaseHead, transactionWithRetry } from '@minsheng/infra';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { divisionPrefixes, seesEverything } from '../clocks/staff-scope.js';

export interface EntitlementView {
  readonly id: string;
  readonly caseId: string;
  readonly itemCode: string;
  readonly kind: string;
  readonly division: string;
  readonly district: string;
  readonly bank: string;
  readonly schedule: PaymentSchedule;
  readonly monthlyAmountFen: number;
  readonly startMonth: string;
  readonly endMonth: string | null;
  readonly status: string;
  readonly statusReason: string | null;
  readonly basis: Record<string, unknown>;
}

/**
 * Entitlements for staff, scoped in SQL like every staff read (docs/architecture.md invariant 6): operators see
 * every one, everyone else those of their divisions (the street that accepted the case, or a district above it).
 */
@Injectable()
export class EntitlementsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    staff: StaffIdentity,
    filter: { caseId?: string; status?: string; limit: number },
  ): Promise<{ items: EntitlementView[] }> {
    const rows = (await this.dataSource.query(
      `SELECT id, case_id, item_code, kind, division, district, bank, schedule, monthly_amount_fen, start_month,
              end_month, status, status_reason, basis
       FROM entitlements
       WHERE ($1::uuid IS NULL OR case_id = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::boolean OR division LIKE ANY (SELECT p || '%' FROM unnest($4::text[]) AS p))
       ORDER BY created_at, id LIMIT $5`,
      [filter.caseId ?? null, filter.status ?? null, seesEverything(staff), divisionPrefixes(staff), filter.limit],
    )) as Record<string, unknown>[];
    return {
      items: rows.map((r) => ({
        id: String(r['id']),
        caseId: String(r['case_id']),
        itemCode: String(r['item_code']),
        kind: String(r['kind']),
        division: String(r['division']),
        district: String(r['district']),
        bank: String(r['bank']),
        schedule: String(r['schedule']) as PaymentSchedule,
        monthlyAmountFen: Number(r['monthly_amount_fen']),
        startMonth: String(r['start_month']),
        endMonth: r['end_month'] === null ? null : String(r['end_month']),
        status: String(r['status']),
        statusReason: r['status_reason'] === null ? null : String(r['status_reason']),
        basis: r['basis'] as Record<string, unknown>,
      })),
    };
  }
}

/**
 * A reviewer's suspension, resumption or ending of an entitlement (docs/money.md "Suspension, resumption,
 * ending"): the case row is locked first (the lock order), then the entitlement; the new status and the event on the
 * case's chain commit together (`changeEntitlement`). An ending sets the last month paid to the month before the
 * effective month; a resumption with `payArrears` owes the months the suspension covered to the next run.
 */
@Injectable()
export class EntitlementChanges {
  constructor(
    private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async apply(
    id: string,
    change: EntitlementChange,
    body: { reason: string; effectiveMonth: string; note?: string | undefined; payArrears?: boolean | undefined },
    staff: StaffIdentity,
    requestId: string,
  ): Promise<{
    id: string;
    status: EntitlementStatus;
    event: string;
    effectiveMonth: string;
    arrearsMonths?: readonly string[];
  }> {
    const [found] = (await this.dataSource.query(
      `SELECT case_id FROM entitlements WHERE id = $1
         AND ($2::boolean OR division LIKE ANY (SELECT p || '%' FROM unnest($3::text[]) AS p))`,
      [id, seesEverything(staff), divisionPrefixes(staff)],
    )) as { case_id: string }[];
    if (found === undefined) throw notFound(id);
    const effectiveMonth = yearMonth(body.effectiveMonth, 'effectiveMonth');
    return transactionWithRetry(this.dataSource, async (tx) => {
      const head = await lockCaseHead(tx, found.case_id);
      if (head === null) throw notFound(id);
      const changed = await changeEntitlement(tx, head, {
        entitlementId: id,
        caseId: found.case_id,
        change,
        reason: body.reason,
        effectiveMonth,
        actor: `staff:${staff.subject}`,
        now: this.clock.now(),
        requestId,
        payArrears: body.payArrears ?? false,
        payload: body.note === undefined ? {} : { note: body.note },
      });
      return {
        id,
        status: changed.status,
        event: changed.event,
        effectiveMonth: body.effectiveMonth,
        ...(change === 'resumption' ? { arrearsMonths: changed.arrearsMonths } : {}),
      };
    });
  }
}

function notFound(id: string): DomainError {
  return new DomainError('ENTITLEMENT.NOT_FOUND', `no entitlement ${id} you may see`, { field: 'id' });
}
