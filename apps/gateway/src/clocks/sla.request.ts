import { z } from 'zod';

export const slaBoardQuery = z
  .object({
    department: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/** The SLA history: how many recent days (China Standard Time), today included. */
export const slaHistoryQuery = z
  .object({
    department: z.string().min(1).optional(),
    days: z.coerce.number().int().min(2).max(60).default(14),
  })
  .strict();
