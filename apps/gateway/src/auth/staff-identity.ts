import { type DepartmentCode, type Level } from '@minsheng/domain';

/**
 * Roles a staff token may carry. A reviewer decides tasks; a supervisor also gets escalations one level up; finance
 * (the finance bureau and the payers of benefits) opens, exports and confirms payment runs and reads expenditure.
 */
export const STAFF_ROLES = ['reviewer', 'supervisor', 'operator', 'auditor', 'finance'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Who is calling, from a verified bearer JWT. Every inbox and case query is filtered in SQL by department,
 * level and divisions (docs/architecture.md invariant 6); nothing here is trusted unless the token's signature is.
 */
export interface StaffIdentity {
  readonly subject: string;
  readonly name: string;
  readonly department: DepartmentCode;
  readonly level: Level;
  /** Division codes the person works for (a street office's 9-digit code, a district's 6-digit code). */
  readonly divisions: readonly string[];
  readonly roles: readonly StaffRole[];
}
