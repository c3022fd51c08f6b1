import { isIsoDate, SATISFACTION_GROUPS, SATISFACTION_REASONS, SATISFACTION_SCORES } from '@minsheng/domain';
import { z } from 'zod';

/** A score and reason codes, no free text (docs/api.md "Satisfaction"). */
export const satisfactionRequest = z
  .object({
    score: z.int().min(SATISFACTION_SCORES.min).max(SATISFACTION_SCORES.max),
    reasons: z
      .array(z.enum(SATISFACTION_REASONS))
      .max(SATISFACTION_REASONS.length)
      .refine((reasons) => new Set(reasons).size === reasons.length, 'each reason once')
      .default([]),
  })
  .strict();
export type SatisfactionRequest = z.output<typeof satisfactionRequest>;

const isoDate = z.string().refine(isIsoDate, 'a date YYYY-MM-DD');

/** Answers submitted from `from` to `to` inclusive (dates in China Standard Time), grouped by one or more keys. */
export const satisfactionQuery = z
  .object({
    from: isoDate,
    to: isoDate,
    /** Comma-separated: `item`, `office`, `month` (e.g. `item,month`). */
    groupBy: z
      .string()
      .default('item')
      .transform((value) => value.split(','))
      .pipe(z.array(z.enum(SATISFACTION_GROUPS)).min(1).max(SATISFACTION_GROUPS.length)),
  })
  .strict()
  .refine((query) => query.from <= query.to, { message: '`from` must not be after `to`', path: ['from'] });
