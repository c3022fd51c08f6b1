import { randomUUID } from 'node:crypto';
import { type Queryable } from '../case-log/queryable.js';
import { type PiiCipher } from '../pii/pii-cipher.js';

/**
 * Staff free text of a case, kept out of events, outbox rows and queue jobs (docs/api.md "The applicant's view"): the
 * text is stored encrypted in `case_notes`, bound to this purpose, and whatever travels carries its reference
 * `case-note:<uuid>`. The engine reads a note only where a machine needs it (a step's findings); the portal never.
 */
export const CASE_NOTE_PURPOSE = 'case.note';
const REF_PREFIX = 'case-note:';
const REF = /^case-note:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** What staff wrote: a comment, a step's findings, an objection's summary, an extension's reason. */
export type CaseNoteKind = 'comment' | 'findings' | 'objection-summary' | 'extension-reason';

/** A note as stored (`case_notes`): its id, its reference and its body encrypted for {@link CASE_NOTE_PURPOSE}. */
export interface PreparedCaseNote {
  readonly id: string;
  readonly ref: string;
  readonly bodyEncrypted: string;
}

/** A new note's row, for a writer that inserts it in a statement of its own making. */
export function prepareCaseNote(cipher: PiiCipher, body: unknown): PreparedCaseNote {
  const id = randomUUID();
  return {
    id,
    ref: `${REF_PREFIX}${id}`,
    bodyEncrypted: cipher.encrypt(JSON.stringify(body), CASE_NOTE_PURPOSE),
  };
}

/** Stores `body` (JSON) encrypted and answers its reference. */
export async function writeCaseNote(
  q: Queryable,
  cipher: PiiCipher,
  note: { readonly caseId: string; readonly kind: CaseNoteKind; readonly body: unknown; readonly at: Date },
): Promise<string> {
  const prepared = prepareCaseNote(cipher, note.body);
  await q.query(`INSERT INTO case_notes (id, case_id, kind, body_encrypted, created_at) VALUES ($1, $2, $3, $4, $5)`, [
    prepared.id,
    note.caseId,
    note.kind,
    prepared.bodyEncrypted,
    note.at,
  ]);
  return prepared.ref;
}

/** The note id of a reference, or undefined when the value is not one (old events carry the text itself). */
export function caseNoteId(value: unknown): string | undefined {
  return typeof value === 'string' ? REF.exec(value)?.[1]?.toLowerCase() : undefined;
}

/** The notes of these references, decrypted, by reference; a reference of no stored note is left out. */
export async function readCaseNotes(
  q: Queryable,
  cipher: PiiCipher,
  refs: readonly string[],
): Promise<Map<string, unknown>> {
  const ids = [...new Set(refs.map(caseNoteId).filter((id): id is string => id !== undefined))];
  if (ids.length === 0) return new Map();
  const result = await q.query(`SELECT id, body_encrypted FROM case_notes WHERE id = ANY($1::uuid[])`, [ids]);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    id: string;
    body_encrypted: string;
  }[];
  return new Map(rows.map((row) => caseNoteEntry(cipher, row.id, row.body_encrypted)));
}

/** A stored note as an entry of {@link readCaseNotes}' answer: its reference and its body, decrypted. */
export function caseNoteEntry(cipher: PiiCipher, id: string, bodyEncrypted: string): [string, unknown] {
  return [`${REF_PREFIX}${id}`, JSON.parse(cipher.decrypt(bodyEncrypted, CASE_NOTE_PURPOSE)) as unknown];
}

/**
 * A DECIDED event whose findings travel as a note reference, with the findings read back from `notes` (the engine
 * and the replay give the machine the event as the reviewer decided it). Any other event is returned unchanged.
 */
export function withNotedFindings<E extends { readonly type: string }>(
  event: E,
  notes: ReadonlyMap<string, unknown>,
): E {
  const ref = (event as { findingsNote?: unknown }).findingsNote;
  if (event.type !== 'DECIDED' || typeof ref !== 'string' || !notes.has(ref)) return event;
  return { ...event, findings: notes.get(ref) };
}

/** The findings-note references of these events (DECIDED events whose findings were kept as a note). */
export function findingsNoteRefs(events: readonly unknown[]): string[] {
  return events.flatMap((event) => {
    const ref = (event as { findingsNote?: unknown } | null)?.findingsNote;
    return typeof ref === 'string' ? [ref] : [];
  });
}

/** Every case-note reference anywhere in these payloads. */
export function caseNoteRefsIn(values: readonly unknown[]): string[] {
  const refs: string[] = [];
  const walk = (value: unknown): void => {
    if (caseNoteId(value) !== undefined) refs.push(value as string);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  values.forEach(walk);
  return refs;
}

/** The payload with each case-note reference replaced by the note it points to (a missing note keeps its reference). */
export function withCaseNotesRead(value: unknown, notes: ReadonlyMap<string, unknown>): unknown {
  if (typeof value === 'string') return notes.has(value) ? notes.get(value) : value;
  if (Array.isArray(value)) return value.map((inner) => withCaseNotesRead(inner, notes));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withCaseNotesRead(inner, notes)]));
  }
  return value;
}
