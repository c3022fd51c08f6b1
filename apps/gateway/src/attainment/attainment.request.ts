import { z } from 'zod';

/** The report's year (cases submitted that year, China Standard Time) and optional filters. */
export const attainmentQuery = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100),
    item: z
      .string()
      .regex(/^BPS-\d{3}$/, 'an item code, e.g. BPS-064')
      .optional(),
    /** A 6-digit district code (the district of the accepting office), e.g. 650102. */
    district: z
      .string()
      .regex(/^\d{6}$/, 'a 6-digit district code')
      .optional(),
    /** `csv` answers text/csv, as `Accept: text/csv` does. */
    format: z.enum(['json', 'csv']).optional(),
  })
  .strict();
export type AttainmentQuery = z.output<typeof attainmentQuery>;
