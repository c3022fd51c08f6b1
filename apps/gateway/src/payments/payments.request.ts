import { z } from 'zod';
import { ENTITLEMENT_STATUSES } from '@minsheng/domain';

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
