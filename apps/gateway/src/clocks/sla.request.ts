import { z } from 'zod';

export const slaBoardQuery = z
  .object({
    department: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
