import { maskPersonalData } from './mask-personal-data.js';

/**
 * The applicant's view of a case's log (docs/api.md "The applicant's view"): a portal sees what happened and which
 * role and office acted, never which member of staff, and none of their free text. Newer events carry references to
 * the case's encrypted notes instead of the text; older events still hold the text, so the rules apply to every
 * event whatever its age.
 */

/** Who acted, as a portal sees it. */
export type PortalActor =
  | { readonly kind: 'portal' | 'system' }
  | {
      readonly kind: 'staff';
      readonly role: string | null;
      readonly office: {
        readonly department: string;
        readonly level: string;
        readonly divisionCode: string | null;
      } | null;
    };

/**
 * Keys of staff free text (or of staff identities) in an event's payload: a reviewer's comment, a step's findings,
 * an objection's summary and an extension's reason as staff recorded them, the separation-of-duties checks (which
 * name reviewers), and the unit and lease references staff typed.
 */
const STAFF_TEXT_KEYS = new Set([
  'comment',
  'findings',
  'findingsNote',
  'summary',
  'reason',
  'checks',
  'by',
  'proposal',
  'paymentReference',
  'reference',
  'lease',
  'refusedDecision',
]);

/** A staff identity anywhere in a value (`staff:<sub>`), shown as the kind alone. */
const STAFF_ID = /staff:[^\s"',;)]+/g;

export interface LoggedEventRow {
  readonly id: string;
  readonly seq: number;
  readonly type: string;
  readonly actor: string;
  readonly payload: Record<string, unknown>;
  readonly occurred_at: Date;
}

/** The timeline as a portal reads it, in `seq` order. */
export function portalTimeline(rows: readonly LoggedEventRow[]): Record<string, unknown>[] {
  // The engine applies a staff command under the command's id: it takes the role and office of the request.
  const byCommand = new Map<string, unknown>();
  for (const row of rows) {
    const commandId = row.payload['commandId'];
    if (typeof commandId === 'string' && row.payload['by'] !== undefined) byCommand.set(commandId, row.payload['by']);
  }
  return rows.map((row) => {
    const kind = actorKind(row.actor);
    return {
      seq: row.seq,
      type: row.type,
      actor: kind,
      by: portalActor(kind, row.payload['by'] ?? byCommand.get(row.id)),
      occurredAt: row.occurred_at.toISOString(),
      payload: kind === 'portal' ? withoutStaffIds(row.payload) : withoutStaffText(row.payload),
    };
  });
}

function actorKind(actor: string): 'portal' | 'staff' | 'system' {
  const kind = actor.split(':')[0];
  return kind === 'portal' || kind === 'staff' ? kind : 'system';
}

function portalActor(kind: 'portal' | 'staff' | 'system', by: unknown): PortalActor {
  if (kind !== 'staff') return { kind };
  const recorded = (typeof by === 'object' && by !== null ? by : {}) as { role?: unknown; office?: unknown };
  const office = (typeof recorded.office === 'object' && recorded.office !== null ? recorded.office : null) as {
    department?: unknown;
    level?: unknown;
    divisionCode?: unknown;
  } | null;
  return {
    kind: 'staff',
    role: typeof recorded.role === 'string' ? recorded.role : null,
    office:
      office === null
        ? null
        : {
            department: String(office.department),
            level: String(office.level),
            divisionCode: typeof office.divisionCode === 'string' ? office.divisionCode : null,
          },
  };
}

/** An event of staff or of the system: free-text keys dropped at every depth, identities reduced to their kind. */
function withoutStaffText(value: unknown): Record<string, unknown> {
  const drop = (inner: unknown): unknown => {
    if (Array.isArray(inner)) return inner.map(drop);
    if (inner !== null && typeof inner === 'object') {
      return Object.fromEntries(
        Object.entries(inner as Record<string, unknown>)
          .filter(([key]) => !STAFF_TEXT_KEYS.has(key))
          .map(([key, nested]) => [key, drop(nested)]),
      );
    }
    return inner;
  };
  return withoutStaffIds(drop(value));
}

/** Personal data masked and staff identities reduced to `staff` (a portal's own events keep their reason codes). */
function withoutStaffIds(value: unknown): Record<string, unknown> {
  const strip = (inner: unknown): unknown => {
    if (typeof inner === 'string') return inner.replace(STAFF_ID, 'staff');
    if (Array.isArray(inner)) return inner.map(strip);
    if (inner !== null && typeof inner === 'object') {
      return Object.fromEntries(Object.entries(inner as Record<string, unknown>).map(([k, v]) => [k, strip(v)]));
    }
    return inner;
  };
  return strip(maskPersonalData(value)) as Record<string, unknown>;
}
