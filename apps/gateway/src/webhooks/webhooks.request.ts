import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '@minsheng/infra';

/** A new endpoint: where to send, and which events (docs/webhooks.md "Events"). */
export const registerWebhookRequest = z
  .object({
    url: z.string().trim().min(1).max(2000),
    events: z
      .array(z.enum(WEBHOOK_EVENT_TYPES))
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .refine((events) => new Set(events).size === events.length, { message: 'must not list an event twice' }),
  })
  .strict();
export type RegisterWebhookRequest = z.infer<typeof registerWebhookRequest>;

/** A delivery id: a positive integer, as text. */
export const deliveryIdParam = z.string().regex(/^[1-9]\d{0,17}$/, 'a delivery id (a positive integer)');

/** Deliveries newest first; `before` is the last id of the previous page (keyset paging). */
export const deliveriesQuery = z
  .object({
    before: deliveryIdParam.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type DeliveriesQuery = z.infer<typeof deliveriesQuery>;

/** Replays every original delivery of the endpoint created in [from, to), oldest first, at most `limit`. */
export const replayRangeRequest = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    limit: z.number().int().min(1).max(1000).default(1000),
  })
  .strict()
  .refine((range) => new Date(range.from) < new Date(range.to), { message: 'must end after it starts', path: ['to'] });
export type ReplayRangeRequest = z.infer<typeof replayRangeRequest>;
