import { z } from 'zod';
import { EXPENDITURE_DIMENSIONS } from '@minsheng/domain';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');

/** `groupBy` is a comma-separated list of dimensions, each at most once (default: item and month). */
export const expenditureQuery = z
  .object({
    from: month,
    to: month,
    groupBy: z
      .string()
      .default('item,month')
      .transform((value) => value.split(',').map((d) => d.trim()))
      .pipe(
        z
          .array(z.enum(EXPENDITURE_DIMENSIONS))
          .min(1)
          .refine((dims) => new Set(dims).size === dims.length, 'each dimension at most once'),
      ),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
