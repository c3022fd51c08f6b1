import { DECISION_OUTCOMES, OBJECTION_OUTCOMES, PAYMENT_OUTCOMES } from '@minsheng/workflows';
import { z } from 'zod';
import { boundedJson } from '../problems/validation.js';

export const INBOX_LIMIT_DEFAULT = 50;

export const inboxQuery = z
  .object({
    itemCode: z
      .string()
      .regex(/^BPS-\d{3}$/)
      .optional(),
    step: z.string().min(1).max(64).optional(),
    dueBefore: z.iso.datetime({ offset: true }).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    claimedByMe: z.enum(['true', 'false']).optional(),
    /** `escalation` for the supervisor's 督办 tasks; a step's kind (`acceptance`, `approval`, …) otherwise. */
    kind: z
      .string()
      .regex(/^[a-z][a-z-]{0,31}$/)
      .optional(),
    /** Claimed by anyone (`true`, what a supervisor reassigns) or by no one (`false`). */
    claimed: z.enum(['true', 'false']).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(INBOX_LIMIT_DEFAULT),
  })
  .strict();
export type InboxQuery = z.output<typeof inboxQuery>;

/**
 * The inbox cursor exactly as the inbox writes it: the last task's due time in `toISOString` form (four-digit year,
 * milliseconds, UTC) or null, and its id. Anything else (a bare number, year 275760) would reach `::timestamptz`.
 */
export const inboxCursor = z.object({ dueAt: z.iso.datetime({ precision: 3 }).nullable(), id: z.uuid() }).strict();
export type InboxCursor = z.output<typeof inboxCursor>;

/**
 * Findings are free-form JSON stored with the decision event in every case's log: bounded so one decision cannot
 * bloat the log or the engine's job (docs/input.md). A home-visit record with its data checks needs a fraction.
 */
export const FINDINGS_LIMITS = { maxDepth: 8, maxBytes: 16 * 1024 } as const;

/** At most this many parts in one decision (两项补贴 has two: `living`, `nursing`). */
export const MAX_DECISION_PARTS = 8;

/** One benefit's outcome in a decision covering several (两项补贴: each subsidy decided on its own). */
const partDecision = z
  .object({
    outcome: z.enum(['approve', 'reject']),
    reasonCode: z.string().min(1).max(64).optional(),
  })
  .strict();

export const decisionBody = z
  .object({
    /**
     * What the task's `outcomes` list allows: approve / reject / return for a step, upheld / not-upheld for an
     * objection, acknowledge for an escalation, paid / payment-failed for a payment.
     */
    outcome: z.enum([...DECISION_OUTCOMES, ...OBJECTION_OUTCOMES, 'acknowledge', ...PAYMENT_OUTCOMES]),
    reasonCode: z.string().min(1).max(64).optional(),
    missingMaterials: z.array(z.string().min(1).max(200)).min(1).max(50).optional(),
    comment: z.string().max(2000).optional(),
    /** The step's structured findings, e.g. `{ homeVisitDate, dataCheck, verifiedHouseholdIncomeFen }`. */
    findings: boundedJson(z.record(z.string(), z.unknown()), FINDINGS_LIMITS).optional(),
    amountFen: z.number().int().positive().optional(),
    instalments: z.number().int().positive().max(12).optional(),
    /** Per-benefit outcomes where the step decides several benefits, keyed by benefit (`living`, `nursing`). */
    parts: z
      .record(z.string().regex(/^[a-z][a-z-]{0,31}$/), partDecision)
      .refine((parts) => Object.keys(parts).length <= MAX_DECISION_PARTS, {
        message: `at most ${MAX_DECISION_PARTS} parts`,
      })
      .optional(),
    /** The bank's or payment run's reference of a paid instalment, or what it answered when the payment failed. */
    paymentReference: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type DecisionBody = z.output<typeof decisionBody>;

/**
 * A supervisor's reassignment of a claimed task: the staff subject (the token's `sub`) of the reviewer who takes it
 * over, and why (kept as a case note, never in the event itself).
 */
export const reassignmentBody = z
  .object({
    to: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[^\s:]+$/, 'a staff subject (the token’s sub), without spaces or colons'),
    reason: z.string().trim().min(1).max(2000),
  })
  .strict();
export type ReassignmentBody = z.output<typeof reassignmentBody>;
