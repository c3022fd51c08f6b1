import type { LegalBasis } from './limits.js';

/** A reason a step may give for rejecting, with its Chinese wording and the rule behind it. */
export interface RejectReason {
  readonly code: string;
  readonly labelZh: string;
  readonly source: LegalBasis;
}

export function reasonCodes(reasons: readonly RejectReason[]): readonly string[] {
  return reasons.map((reason) => reason.code);
}
