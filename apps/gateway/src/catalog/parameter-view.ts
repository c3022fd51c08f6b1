import { type Evidence, isConfirmed } from '@minsheng/domain';

/** A stored parameter value as the database returns it (dates and big numbers as text). */
export interface ParameterRow {
  id: string;
  key: string;
  item_code: string;
  value_fen: string | null;
  value_number: string | null;
  unit: string;
  bound: string;
  valid_from: string | null;
  valid_from_precision: string;
  valid_to: string | null;
  source: string;
  evidence: string;
  note: string | null;
  reason: string | null;
  origin: string;
  published_by: string;
  published_at: Date;
  superseded_at: Date | null;
  superseded_by: string | null;
}

export const PARAMETER_COLUMNS = `id::text AS id, key, item_code, value_fen::text AS value_fen,
  value_number::text AS value_number, unit, bound, valid_from::text AS valid_from, valid_from_precision,
  valid_to::text AS valid_to, source, evidence, note, reason, origin, published_by, published_at, superseded_at,
  superseded_by::text AS superseded_by`;

/** Where a value stands on `at`: replaced by a correction, ended, in force, or not yet in force. */
export type ParameterStatus = 'superseded' | 'past' | 'in-force' | 'future';

export interface ParameterValueView {
  id: string;
  value: number;
  unit: string;
  bound: string;
  validFrom: string | null;
  validFromPrecision: string;
  validTo: string | null;
  status: ParameterStatus;
  source: string;
  evidence: string;
  /** Only values backed by the source text or a secondary source (V, S) are confirmed; R, G and unknown are not. */
  confirmed: boolean;
  note: string | null;
  reason: string | null;
  origin: string;
  publishedBy: string;
  publishedAt: string;
  supersededAt: string | null;
  supersededBy: string | null;
}

export interface ParameterKeyView {
  key: string;
  itemCode: string;
  unit: string;
  inForce: ParameterValueView | null;
  /** Every value ever stored for the key, oldest start first, corrections included (status `superseded`). */
  history: ParameterValueView[];
}

function statusOn(row: ParameterRow, at: string): ParameterStatus {
  if (row.superseded_at !== null) return 'superseded';
  // ISO dates compare correctly as strings; a null start is "since before any known date".
  if (row.valid_to !== null && row.valid_to <= at) return 'past';
  if (row.valid_from !== null && row.valid_from > at) return 'future';
  return 'in-force';
}

export function toParameterView(row: ParameterRow, at: string): ParameterValueView {
  return {
    id: row.id,
    // Amounts are integer fen and far below 2^53, so a JSON number is exact.
    value: Number(row.value_fen ?? row.value_number),
    unit: row.unit,
    bound: row.bound,
    validFrom: row.valid_from,
    validFromPrecision: row.valid_from_precision,
    validTo: row.valid_to,
    status: statusOn(row, at),
    source: row.source,
    evidence: row.evidence,
    confirmed: isConfirmed(row.evidence as Evidence),
    note: row.note,
    reason: row.reason,
    origin: row.origin,
    publishedBy: row.published_by,
    publishedAt: row.published_at.toISOString(),
    supersededAt: row.superseded_at?.toISOString() ?? null,
    supersededBy: row.superseded_by,
  };
}

/** Groups rows (ordered by key, then start) into one entry per key with the value in force on `at`. */
export function groupByKey(rows: readonly ParameterRow[], at: string): ParameterKeyView[] {
  const byKey = new Map<string, ParameterKeyView>();
  for (const row of rows) {
    let entry = byKey.get(row.key);
    if (entry === undefined) {
      entry = { key: row.key, itemCode: row.item_code, unit: row.unit, inForce: null, history: [] };
      byKey.set(row.key, entry);
    }
    const view = toParameterView(row, at);
    entry.history.push(view);
    if (view.status === 'in-force') entry.inForce = view;
  }
  return [...byKey.values()];
}
