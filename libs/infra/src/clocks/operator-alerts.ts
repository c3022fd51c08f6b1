import { type Queryable } from '../case-log/case-event-chain.js';

export interface OperatorAlert {
  /** What happened, e.g. `calendar.year-not-published`. */
  readonly kind: string;
  /** The one thing it is about, e.g. `xinjiang/2027`: repeats of the same cause share one open alert. */
  readonly key: string;
  /** Ids and counts only, no personal data. */
  readonly details?: Record<string, unknown>;
}

/** Raises (or repeats) an open operator alert; the operator view lists open alerts by their last occurrence. */
export async function raiseOperatorAlert(q: Queryable, alert: OperatorAlert): Promise<void> {
  await q.query(
    `INSERT INTO operator_alerts (kind, key, details) VALUES ($1, $2, $3)
     ON CONFLICT (kind, key) WHERE resolved_at IS NULL
     DO UPDATE SET occurrences = operator_alerts.occurrences + 1, last_at = now(), details = EXCLUDED.details`,
    [alert.kind, alert.key, JSON.stringify(alert.details ?? {})],
  );
}

/** Closes the open alerts of one cause (e.g. once the missing year is published). */
export async function resolveOperatorAlerts(q: Queryable, kind: string, key: string): Promise<void> {
  await q.query(`UPDATE operator_alerts SET resolved_at = now() WHERE kind = $1 AND key = $2 AND resolved_at IS NULL`, [
    kind,
    key,
  ]);
}
