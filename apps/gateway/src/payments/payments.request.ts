import { z } from 'zod';
import { ENTITLEMENT_CHANGES, ENTITLEMENT_STATUSES, HOUSEHOLD_EVENT_KINDS } from '@minsheng/domain';

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
