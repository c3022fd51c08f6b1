import { z } from 'zod';
import {
  ASPECT_CODES,
  DEPARTMENT_CODES,
  DOMAIN_CODES,
  DomainError,
  EVIDENCE_TAGS,
  isIsoDate,
  SERVICE_MODES,
} from '@minsheng/domain';

export const ITEM_CODE = /^BPS-\d{3}$/;
const isoDate = z.string().refine(isIsoDate, 'a calendar date YYYY-MM-DD');

/** Query of `GET /v1/catalog/items`. `mode` matches an item's main or secondary mode. */
export const listItemsQuery = z
  .object({
    domain: z.enum(DOMAIN_CODES).optional(),
    aspect: z.enum(ASPECT_CODES).optional(),
    department: z.enum(DEPARTMENT_CODES).optional(),
    mode: z.enum(SERVICE_MODES).optional(),
    applicationOnly: z.stringbool().optional(),
    q: z.string().trim().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    /** Opaque: the `nextCursor` of the previous page. */
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type ListItemsQuery = z.output<typeof listItemsQuery>;

/** Query of `GET /v1/catalog/divisions`: 6-, 9- or 12-digit code of the division whose children are wanted. */
export const listDivisionsQuery = z
  .object({
    parent: z
      .string()
      .regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a 6-, 9- or 12-digit division code')
      .optional(),
  })
  .strict();

/** Query of `GET /v1/catalog/parameters`; `at` defaults to today in China Standard Time. */
export const listParametersQuery = z
  .object({
    key: z.string().min(1).max(200).optional(),
    itemCode: z.string().regex(ITEM_CODE, 'an item code such as BPS-064').optional(),
    at: isoDate.optional(),
  })
  .strict();

/** Body of `POST /v1/catalog/parameters`. Unit, bound and item come from the key's existing values. */
export const publishParameterBody = z
  .object({
    key: z.string().min(1).max(200),
    /** Integer fen for amount units; a multiple or a count otherwise. */
    value: z.number().finite().min(0),
    validFrom: isoDate,
    source: z.string().trim().min(1).max(500),
    evidence: z.enum(EVIDENCE_TAGS),
    reason: z.string().trim().min(1).max(1000),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export type PublishParameterBody = z.output<typeof publishParameterBody>;

/** The items cursor: the last code of the previous page, wrapped so clients treat it as opaque. */
export function encodeItemCursor(afterCode: string): string {
  return Buffer.from(JSON.stringify({ after: afterCode })).toString('base64url');
}

export function decodeItemCursor(cursor: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string' && ITEM_CODE.test(decoded.after)) return decoded.after;
  } catch {
    // fall through to the refusal below
  }
  throw new DomainError('VALIDATION.FAILED', 'the request query is not valid', {
    errors: [{ field: 'cursor', code: 'INVALID_CURSOR', message: 'not a cursor returned by a previous page' }],
  });
}
