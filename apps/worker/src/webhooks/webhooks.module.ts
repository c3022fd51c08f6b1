import { Module } from '@nestjs/common';
import { PiiModule, QUEUES, registerObservedQueues } from '@minsheng/infra';
import { WebhookDelivery } from './webhook-delivery.js';
import { WebhooksProcessor } from './webhooks.processor.js';

/** Outgoing webhooks: the `webhooks` queue's processor and the delivery it runs (docs/webhooks.md). */
@Module({
  imports: [registerObservedQueues(QUEUES.webhooks), PiiModule],
  providers: [WebhooksProcessor, WebhookDelivery],
})
export class WebhooksModule {}
