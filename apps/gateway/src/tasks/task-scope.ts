import type { StaffIdentity } from '../auth/staff-identity.js';

/**
 * Authorization lives in the query (docs/architecture.md invariant 6): a task is a reviewer's when its department,
 * level and division are the reviewer's. `alias` is the tasks table's alias; parameters are appended to `params`.
 * Anything outside the scope is simply not found (404), so its existence is not revealed.
 */
export function taskScope(alias: string, staff: StaffIdentity, params: unknown[]): string {
  params.push(staff.department, staff.level, [...staff.divisions]);
  const n = params.length;
  return `${alias}.department_code = $${n - 2} AND ${alias}.level = $${n - 1} AND ${alias}.division_code = ANY($${n}::text[])`;
}

/**
 * The caller's open tasks as a FROM item named `alias`: for each of the caller's divisions, the first `limit` open
 * tasks of the department and level in `orderBy`, each an index range of its own office (IDX_tasks_inbox_keyset),
 * so the work is `limit` rows per division however long the office's backlog. `conditions` refer to the tasks as
 * `alias`; the caller orders and limits the union again.
 */
export function openTasksInScope(
  alias: string,
  staff: StaffIdentity,
  params: unknown[],
  page: { conditions: readonly string[]; orderBy: string; limit: string },
): string {
  params.push(staff.department, staff.level, [...new Set(staff.divisions)]);
  const n = params.length;
  const where = [
    `${alias}.closed_at IS NULL`,
    `${alias}.department_code = $${n - 2}`,
    `${alias}.level = $${n - 1}`,
    `${alias}.division_code = scope.division_code`,
    ...page.conditions,
  ];
  return `unnest($${n}::text[]) AS scope(division_code) CROSS JOIN LATERAL (
    SELECT ${alias}.* FROM tasks ${alias} WHERE ${where.join(' AND ')}
    ORDER BY ${page.orderBy} LIMIT ${page.limit}) ${alias}`;
}

/**
 * A case is a reviewer's when the reviewer works at an office responsible for it, or one of its tasks (open or
 * done) is theirs. The responsible offices are those of the case's lead department at the division that accepted
 * it and at the division that approves it (routing, docs/procedures.md "Who sees a case"); a case the engine ended
 * by itself, with no task at all (e.g. refused at intake), is therefore still visible to them. Offices of other
 * departments that worked on the case (a task of theirs) see it too. A 村/社区 committee only assists (社会救助暂行办法
 * art. 4): it sees the cases it has a task on, not every case of its street.
 */
export function caseScope(caseAlias: string, staff: StaffIdentity, params: unknown[]): string {
  const tasks = `EXISTS (SELECT 1 FROM tasks st WHERE st.case_id = ${caseAlias}.id AND ${taskScope('st', staff, params)})`;
  if (staff.level === 'community') return tasks;
  params.push(staff.department, [...staff.divisions]);
  const n = params.length;
  const responsible = `(${caseAlias}.department_code = $${n - 1}
    AND (${caseAlias}.accepting_division = ANY($${n}::text[]) OR ${caseAlias}.approving_division = ANY($${n}::text[])))`;
  return `(${responsible} OR ${tasks})`;
}

export function staffActor(staff: StaffIdentity): string {
  return `staff:${staff.subject}`;
}

/**
 * How a staff action is shown to a portal (docs/api.md "The applicant's view"): the role and the office that acted,
 * never who. Recorded as `by` in the payload of the event the gateway writes for the action.
 */
export interface ActingOffice {
  readonly role: string;
  readonly office: { readonly department: string; readonly level: string; readonly divisionCode: string | null };
}

/** The caller's role (a supervisor acts as one) and office; `divisionCode` the office's division where known. */
export function actingOffice(staff: StaffIdentity, divisionCode: string | null): ActingOffice {
  const role = staff.roles.includes('supervisor') ? 'supervisor' : (staff.roles[0] ?? 'staff');
  return { role, office: { department: staff.department, level: staff.level, divisionCode } };
}

/** The caller's division among the case's offices (accepting, approving), else its only one, else none. */
export function actingDivision(
  staff: StaffIdentity,
  kase: { readonly accepting_division: string; readonly approving_division: string },
): string | null {
  const own = [kase.accepting_division, kase.approving_division].find((code) => staff.divisions.includes(code));
  return own ?? (staff.divisions.length === 1 ? staff.divisions[0]! : null);
}
