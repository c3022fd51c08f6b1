import { MATERIAL_TYPE_CODES } from '@minsheng/domain';
import { z } from 'zod';

/** Why the applicant withdraws, as a code: free text could carry personal data into events and jobs. */
export const WITHDRAWAL_REASONS = ['applicant-request', 'circumstances-changed', 'applied-elsewhere', 'other'] as const;

export const withdrawalRequest = z.object({ reason: z.enum(WITHDRAWAL_REASONS) }).strict();

/**
 * What a resident objects to during the public notice (公示, 民发〔2021〕57号), as a code: the portal files on the
 * resident's behalf, and neither the resident's identity nor free text enters the case's events or the engine's jobs.
 */
export const OBJECTION_REASONS = [
  'income-understated',
  'assets-undisclosed',
  'household-misstated',
  'residence-misstated',
  'other',
] as const;

export const objectionRequest = z.object({ reason: z.enum(OBJECTION_REASONS) }).strict();

/** Material the office asked for (一次性告知), handed in through the portal. */
export const supplementRequest = z
  .object({
    materials: z
      .array(
        z
          .object({
            type: z.enum(MATERIAL_TYPE_CODES),
            fileName: z.string().trim().min(1).max(200),
            sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits'),
            reference: z.string().trim().min(1).max(500),
          })
          .strict(),
      )
      .min(1)
      .max(50),
  })
  .strict();

export const portalReferenceQuery = z
  .object({ portalReference: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/) })
  .strict();
