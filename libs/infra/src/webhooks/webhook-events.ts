/**
 * The events a portal can subscribe to (docs/webhooks.md "Events"), one definition for the gateway (what may be
 * subscribed) and the worker (what a step emits). Bodies carry ids, the item code and status and outcome codes,
 * never personal data.
 */
export const WEBHOOK_EVENT_TYPES = [
  /** The office accepted the application (受理): the acceptance step approved it. */
  'case.accepted',
  /** Material is missing (一次性告知): everything missing, in one notice; the clocks pause. */
  'case.supplement_requested',
  /** A step recorded an approval or a rejection. */
  'case.decision_made',
  /** A proposed decision is published (公示) and open to objections until the notice ends. */
  'case.objection_window_opened',
  /** The case ended, with its outcome. */
  'case.closed',
  /** The case ended and the applicant is invited to rate the service (满意度评价); sent after `case.closed`. */
  'case.satisfaction_invited',
  /** The bank's result file says a payment line of the case was paid (docs/money.md "The bank's result file"). */
  'payment.made',
  /** The bank's result file says a payment line of the case was returned, with the bank's reason code. */
  'payment.returned',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a case event says, beside its type: codes and ids only. */
export type WebhookEventData = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

/** One event of one case, as a step produced it. */
export interface PortalEvent {
  readonly type: WebhookEventType;
  readonly data: WebhookEventData;
}

/**
 * The body sent (Standard Webhooks' recommended shape: `type`, `timestamp`, `data`). `timestamp` is when the
 * step happened in business time; `data.caseId` and `data.itemCode` are always there.
 */
export interface WebhookBody {
  readonly type: WebhookEventType;
  readonly timestamp: string;
  readonly data: WebhookEventData & { readonly caseId: string; readonly itemCode: string };
}
