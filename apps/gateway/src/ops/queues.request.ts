import { z } from 'zod';
import { LISTABLE_STATES } from './queue-operations.js';

export const listJobsQuery = z
  .object({
    state: z.enum(LISTABLE_STATES).default('failed'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Opaque: the `nextCursor` of the previous page. */
    cursor: z
      .string()
      .regex(/^\d{1,9}$/, 'a cursor returned by the previous page')
      .default('0'),
  })
  .strict();
