/**
 * The satisfaction survey a portal may answer once for a closed case (docs/api.md "Satisfaction"): a score and
 * reason codes from this fixed list, never free text, so nothing a resident writes enters the case.
 */
export const SATISFACTION_SCORES = { min: 1, max: 5 } as const;

/** Why the resident gave the score: what went well or badly, as codes only. */
export const SATISFACTION_REASONS = [
  'fast',
  'slow',
  'clear-guidance',
  'unclear-guidance',
  'few-materials',
  'too-many-materials',
  'courteous',
  'discourteous',
  'outcome-explained',
  'outcome-not-explained',
  'easy-online',
  'hard-online',
  'other',
] as const;
export type SatisfactionReason = (typeof SATISFACTION_REASONS)[number];

/** How operators group the results (`GET /v1/ops/satisfaction?groupBy=`). */
export const SATISFACTION_GROUPS = ['item', 'office', 'month'] as const;
export type SatisfactionGroup = (typeof SATISFACTION_GROUPS)[number];
