import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
