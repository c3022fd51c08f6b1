import { z } from 'zod';

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
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(INBOX_LIMIT_DEFAULT),
  })
  .strict();
export type InboxQuery = z.output<typeof inboxQuery>;

export const taskIdParam = z.uuid();

export const decisionBody = z
  .object({
    outcome: z.enum(['approve', 'reject', 'return', 'upheld', 'not-upheld', 'acknowledge']),
    reasonCode: z.string().min(1).max(64).optional(),
    missingMaterials: z.array(z.string().min(1).max(200)).min(1).max(50).optional(),
    comment: z.string().max(2000).optional(),
    /** The step's structured findings, e.g. `{ homeVisitDate, dataCheck, verifiedHouseholdIncomeFen }`. */
    findings: z.record(z.string(), z.unknown()).optional(),
    amountFen: z.number().int().positive().optional(),
    instalments: z.number().int().positive().max(12).optional(),
  })
  .strict();
export type DecisionBody = z.output<typeof decisionBody>;
