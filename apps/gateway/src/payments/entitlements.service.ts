import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  addMonths,
  type Clock,
  DomainError,
  type EntitlementChange,
  ENTITLEMENT_CHANGES,
  type EntitlementStatus,
  statusAfter,
  yearMonth,
} from '@minsheng/domain';
import { appendCaseEvents, InjectClock, transactionWithRetry } from '@minsheng/infra';
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
  readonly schedule: string;
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
        schedule: String(r['schedule']),
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
 * case's chain commit together. An ending sets the last month paid to the month before the effective month.
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
    body: { reason: string; effectiveMonth: string; note?: string | undefined },
    staff: StaffIdentity,
    requestId: string,
  ): Promise<{ id: string; status: EntitlementStatus; event: string; effectiveMonth: string }> {
    const [found] = (await this.dataSource.query(
      `SELECT case_id FROM entitlements WHERE id = $1
         AND ($2::boolean OR division LIKE ANY (SELECT p || '%' FROM unnest($3::text[]) AS p))`,
      [id, seesEverything(staff), divisionPrefixes(staff)],
    )) as { case_id: string }[];
    if (found === undefined) throw notFound(id);
    const rule = ENTITLEMENT_CHANGES[change];
    return transactionWithRetry(this.dataSource, async (tx) => {
      const [head] = (await tx.query(`SELECT last_event_seq, last_event_hash FROM cases WHERE id = $1 FOR UPDATE`, [
        found.case_id,
      ])) as { last_event_seq: number; last_event_hash: string | null }[];
      const [row] = (await tx.query(
        `SELECT status, start_month, end_month FROM entitlements WHERE id = $1 FOR UPDATE`,
        [id],
      )) as { status: EntitlementStatus; start_month: string; end_month: string | null }[];
      if (head === undefined || row === undefined) throw notFound(id);
      const next = statusAfter(row.status, change);
      if (next === null) {
        throw new DomainError('ENTITLEMENT.WRONG_STATUS', `an ${row.status} entitlement takes no ${change}`, {
          field: 'status',
          status: row.status,
        });
      }
      const before = addMonths(yearMonth(body.effectiveMonth, 'effectiveMonth'), -1);
      const endMonth = change === 'ending' ? (before < row.start_month ? row.start_month : before) : row.end_month;
      const now = this.clock.now();
      await tx.query(
        `UPDATE entitlements SET status = $2, status_reason = $3, end_month = $4, version = version + 1, updated_at = $5
         WHERE id = $1`,
        [id, next, body.reason, endMonth, now],
      );
      await appendCaseEvents(tx, found.case_id, { seq: head.last_event_seq, hash: head.last_event_hash }, [
        {
          id: randomUUID(),
          type: rule.event,
          actor: `staff:${staff.subject}`,
          payload: {
            entitlementId: id,
            reason: body.reason,
            effectiveMonth: body.effectiveMonth,
            from: row.status,
            to: next,
            ...(change === 'ending' ? { endMonth } : {}),
            ...(body.note === undefined ? {} : { note: body.note }),
          },
          occurredAt: now,
          requestId,
        },
      ]);
      return { id, status: next, event: rule.event, effectiveMonth: body.effectiveMonth };
    });
  }
}

function notFound(id: string): DomainError {
  return new DomainError('ENTITLEMENT.NOT_FOUND', `no entitlement ${id} you may see`, { field: 'id' });
}
