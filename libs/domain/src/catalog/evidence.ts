/**
 * How well a catalog fact is backed (docs/domain.md §0.1):
 * - `V` checked against the full text of the source;
 * - `S` a secondary or local source (a local guide, a news report, a dataset quoting the rule);
 * - `R` recalled from the named document, not re-checked;
 * - `G` a guess or inference;
 * - `unknown` no public source found: the value is absent, never invented.
 */
export const EVIDENCE_TAGS = ['V', 'S', 'R', 'G', 'unknown'] as const;
export type Evidence = (typeof EVIDENCE_TAGS)[number];
export type KnownEvidence = Exclude<Evidence, 'unknown'>;

/**
 * Where a fact comes from. `source` is a source id of docs/domain.md §0.2 (`P26`, `L10 art. 20`, `C1`), a named
 * document (`民发〔2021〕57号`), `seed` for the Urumqi interpretation text, `national standard 2021` for the
 * recalled national pattern, or null for a guess with no source.
 */
export interface Attestation {
  readonly evidence: Evidence;
  readonly source: string | null;
}

/** A value and its backing. */
export interface Attested<T> extends Attestation {
  readonly value: T;
}

/** Free text from the standard, or a documented absence: `text` is null exactly when the evidence is `unknown`. */
export type AttestedText =
  | { readonly text: string; readonly evidence: KnownEvidence; readonly source: string | null }
  | { readonly text: null; readonly evidence: 'unknown'; readonly source: null };

/** Only facts checked in a primary text (V) or backed by a secondary source (S) may be relied on as settled. */
export function isConfirmed(evidence: Evidence): boolean {
  return evidence === 'V' || evidence === 'S';
}

export function attested<T>(value: T, evidence: Evidence, source: string | null = null): Attested<T> {
  return { value, evidence, source };
}

export function text(value: string, evidence: KnownEvidence, source: string | null = null): AttestedText {
  return { text: value, evidence, source };
}

/** The standard's own text for this value was not available (docs/domain.md §6). */
export const UNKNOWN_TEXT: AttestedText = { text: null, evidence: 'unknown', source: null };
