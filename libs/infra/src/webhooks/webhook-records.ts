import { WebhookAttemptRecord } from './webhook-attempt.record.js';
import { WebhookDeliveryRecord } from './webhook-delivery.record.js';
import { WebhookEndpointRecord } from './webhook-endpoint.record.js';

/** The records of outgoing webhooks: endpoints, deliveries and every attempt (docs/webhooks.md). */
export const WEBHOOK_RECORDS = [WebhookEndpointRecord, WebhookDeliveryRecord, WebhookAttemptRecord] as const;
