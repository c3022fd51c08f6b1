import { type Queryable } from '../case-log/case-event-chain.js';

/** One line of the audit log: who did what to which target, under which request. */
export interface AuditEntry {
  /** `staff:<subject>`, `portal:<id>`, `system:<component>`. */
  readonly actor: string;
  /** The role the actor acted in (`operator`, `reviewer`, `portal`, `system`). */
  readonly actorRole: string;
  /** A stable verb in dotted form: `queue.pause`, `job.retry`, `case.redrive`. */
  readonly action: string;
  /** What was acted on: `queue:case-commands`, `job:case-commands/cmd-…`, `case:<uuid>`. */
  readonly target: string;
  /** Ids and counts only: the audit log is read by many and must hold no personal data. */
  readonly details?: Record<string, unknown>;
  readonly requestId?: string | null;
}

/**
 * Appends an audit row. Pass the transaction's query runner when the audited change is in PostgreSQL, so the
 * change and its record commit together; for actions on Redis (queues) call it right after the action succeeded.
 */
export async function recordAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (actor, actor_role, action, target, details, request_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      entry.actor,
      entry.actorRole,
      entry.action,
      entry.target,
      JSON.stringify(entry.details ?? {}),
      entry.requestId ?? null,
    ],
  );
}
