import { type Queryable } from '../case-log/case-event-chain.js';

/** A value to place on a parameter's timeline (dates `YYYY-MM-DD` in China Standard Time). */
export interface ParameterValueInput {
  readonly key: string;
  readonly itemCode: string;
  /** Integer fen for amount units, a plain number otherwise (see `isFenUnit`). */
  readonly value: number;
  readonly unit: string;
  readonly bound: string;
  /** Null: the start is unknown (in force before the next known date). */
  readonly validFrom: string | null;
  readonly validFromPrecision: 'day' | 'month' | 'year';
  /** An end the source states; otherwise the value runs until the next value on the timeline starts. */
  readonly validTo: string | null;
  readonly source: string;
  readonly evidence: string;
  readonly note: string | null;
  readonly reason: string | null;
  readonly origin: 'catalog' | 'operator';
  readonly seedId: string | null;
  /** `system:catalog-loader` or `staff:<subject>`. */
  readonly publishedBy: string;
}

export interface PlacedParameterValue {
  readonly id: string;
  /** The value that was in force on the new start and now ends there, if any. */
  readonly closedId: string | null;
  /** The value with the same start that the new one replaces (kept, marked superseded), if any. */
  readonly supersededId: string | null;
  readonly validTo: string | null;
}

/** Amount units are integer fen (docs/architecture.md invariant 8); the other units are multiples and counts. */
export function isFenUnit(unit: string): boolean {
  return unit.startsWith('fen-');
}

const START = `COALESCE(valid_from, '-infinity'::date)`;

/**
 * Places a value on its key's timeline so that the live (not superseded) values never overlap: the value in force
 * on the new start ends there (or, with the same start, is superseded and kept for the history), and the new
 * value runs until the next known start. A later value already published stays in force from its own start.
 * Call inside a transaction; the advisory lock serialises publishers of the same key.
 */
export async function placeParameterValue(q: Queryable, input: ParameterValueInput): Promise<PlacedParameterValue> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtext('catalog-parameter:' || $1))`, [input.key]);
  const start = input.validFrom ?? '-infinity';
  const [current] = (await q.query(
    `SELECT id::text AS id, ${START}::text AS start, valid_to::text AS valid_to
       FROM catalog_parameters
      WHERE key = $1 AND superseded_at IS NULL AND ${START} <= $2::date AND (valid_to IS NULL OR valid_to > $2::date)`,
    [input.key, start],
  )) as { id: string; start: string; valid_to: string | null }[];
  const [{ next }] = (await q.query(
    `SELECT min(valid_from)::text AS next FROM catalog_parameters
      WHERE key = $1 AND superseded_at IS NULL AND valid_from > $2::date`,
    [input.key, start],
  )) as [{ next: string | null }];
  const ends = [input.validTo, current?.valid_to ?? null, next].filter((d): d is string => d !== null).sort();
  const validTo = ends[0] ?? null;
  const fen = isFenUnit(input.unit);
  const [{ id }] = (await q.query(
    `INSERT INTO catalog_parameters (key, item_code, value_fen, value_number, unit, bound, valid_from,
       valid_from_precision, valid_to, source, evidence, note, reason, origin, seed_id, published_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id::text AS id`,
    [
      input.key,
      input.itemCode,
      fen ? String(input.value) : null,
      fen ? null : String(input.value),
      input.unit,
      input.bound,
      input.validFrom,
      input.validFromPrecision,
      validTo,
      input.source,
      input.evidence,
      input.note,
      input.reason,
      input.origin,
      input.seedId,
      input.publishedBy,
    ],
  )) as [{ id: string }];
  if (current === undefined) return { id, closedId: null, supersededId: null, validTo };
  if (current.start === start) {
    await q.query(`UPDATE catalog_parameters SET superseded_at = now(), superseded_by = $2 WHERE id = $1`, [
      current.id,
      id,
    ]);
    return { id, closedId: null, supersededId: current.id, validTo };
  }
  await q.query(`UPDATE catalog_parameters SET valid_to = $2 WHERE id = $1`, [current.id, input.validFrom]);
  return { id, closedId: current.id, supersededId: null, validTo };
}
