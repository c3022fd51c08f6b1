import { type Queryable } from '../case-log/case-event-chain.js';

/**
 * A calendar layer deadlines need is not (officially) published, keyed by the layer (`national/2027`). Raised by
 * the engine when a clock's count reaches a year with no calendar (`details.status` `missing`), and by the
 * worker's daily check from 1 November for next year's layers (`missing` or `provisional`). Publishing the layer
 * resolves it: an official version any open alert of the key, a provisional one only the `missing` alerts.
 */
export const CALENDAR_YEAR_NOT_PUBLISHED_ALERT = 'calendar.year-not-published';

/**
 * An amount needs a standard parameter with no value in force on its day (keyed by the parameter's key): the
 * step failed permanently; publishing a value resolves the alert, and the failed commands are retried from the
 * ops API.
 */
export const PARAMETER_NOT_IN_FORCE_ALERT = 'parameter.not-in-force';

/** A case reached the engine without the procedure input intake stores with it (keyed by the case id). */
export const PROCEDURE_INPUT_MISSING_ALERT = 'case.procedure-input-missing';

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

/**
 * Closes the open alerts of one cause (e.g. once the missing year is published). With `unlessStatus`, an alert
 * whose `details.status` is that value stays open (a provisional publication answers "no calendar", not "no
 * official calendar"). Answers how many were closed.
 */
export async function resolveOperatorAlerts(
  q: Queryable,
  kind: string,
  key: string,
  unlessStatus?: string,
): Promise<number> {
  // A SELECT around the UPDATE: TypeORM answers a bare UPDATE … RETURNING as [rows, count], pg as rows.
  const [{ resolved }] = (await q.query(
    `WITH r AS (
       UPDATE operator_alerts SET resolved_at = now()
       WHERE kind = $1 AND key = $2 AND resolved_at IS NULL
         AND ($3::text IS NULL OR details->>'status' IS DISTINCT FROM $3::text)
       RETURNING id)
     SELECT count(*)::int AS resolved FROM r`,
    [kind, key, unlessStatus ?? null],
  )) as [{ resolved: number }];
  return resolved;
}
