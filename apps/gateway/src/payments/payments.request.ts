import { z } from 'zod';
import {
  ENTITLEMENT_CHANGES,
  ENTITLEMENT_STATUSES,
  HOUSEHOLD_EVENT_KINDS,
  REVIEW_OUTCOMES,
  REVIEW_STATUSES,
} from '@minsheng/domain';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');

/** `POST /v1/payment-runs`: the month to pay (a run per month; asking again answers the open run). */
export const openPaymentRunBody = z.object({ month }).strict();

export const entitlementsQuery = z
  .object({
    caseId: z.uuid().optional(),
    status: z.enum(ENTITLEMENT_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/** `GET /v1/payment-runs/{id}/export`: one file per district and bank. */
export const exportQuery = z
  .object({
    district: z.string().regex(/^\d{6}$/, 'a 6-digit district code'),
    bank: z.string().trim().min(1).max(100),
  })
  .strict();

/** `POST /v1/payment-runs/{id}/results`: the bank's result file as text (docs/money.md "The bank's result file"). */
export const bankResultsBody = z.object({ file: z.string().min(1).max(20_000_000) }).strict();

const changeBody = <R extends readonly [string, ...string[]]>(reasons: R) =>
  z
    .object({
      reason: z.enum(reasons),
      /** The first month the change applies to. */
      effectiveMonth: month,
      note: z.string().trim().max(1000).optional(),
    })
    .strict();

export const suspensionBody = changeBody(ENTITLEMENT_CHANGES.suspension.reasons);
/**
 * A resumption may pay the months the suspension covered (`payArrears`, default false): computed at each month's
 * amount, one line per entitlement and month in the next run (docs/money.md "Arrears on resumption").
 */
export const resumptionBody = changeBody(ENTITLEMENT_CHANGES.resumption.reasons).extend({
  payArrears: z.boolean().default(false),
});
export const endingBody = changeBody(ENTITLEMENT_CHANGES.ending.reasons);

/** `GET /v1/entitlement-reviews`: the reviews of the caller's divisions, by status and entitlement. */
export const reviewsQuery = z
  .object({
    status: z.enum(REVIEW_STATUSES).optional(),
    entitlementId: z.uuid().optional(),
    overdue: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('only open reviews past their limit (true) or not (false)'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/**
 * `POST /v1/entitlement-reviews/{id}/decision` (docs/money.md "Periodic review"): the outcome, the first month it
 * applies to, a reason for a suspension or an ending, and what the review verified for a 低保 adjustment or gradual
 * exit.
 */
export const reviewDecisionBody = z
  .object({
    outcome: z.enum(REVIEW_OUTCOMES),
    effectiveMonth: month.optional(),
    reason: z.enum([...ENTITLEMENT_CHANGES.suspension.reasons, ...ENTITLEMENT_CHANGES.ending.reasons]).optional(),
    findings: z
      .object({
        perCapitaIncomeFen: z.int().min(0).max(100_000_000),
        memberCount: z.int().min(1).max(50),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * `POST /v1/entitlement-reviews/{id}/response` (docs/money.md "Periodic review"): the street office records that the
 * household answered its review, whether it supplied its papers, and a short note.
 */
export const reviewResponseBody = z
  .object({
    papersSupplied: z.boolean(),
    note: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

/**
 * `POST /v1/household-events`: an event another register reports (docs/money.md "Changes triggered by events"). The
 * person is named by resident ID number (checked, never stored plain); `eventId` is the sender's id of the event,
 * so sending it again changes nothing.
 */
export const householdEventBody = z
  .object({
    eventId: z.string().trim().min(1).max(200),
    kind: z.enum(HOUSEHOLD_EVENT_KINDS),
    idNumber: z.string().min(1).max(40),
    /** The day of the death, the move, or the income report. */
    occurredOn: z.iso.date(),
    /** The register that reported it, e.g. the public security household register (户籍). */
    source: z.string().trim().min(1).max(200),
  })
  .strict();
