import { Module } from '@nestjs/common';
import { PiiModule } from '@minsheng/infra';
import { PortalsModule } from '../portals/portals.module.js';
import { OpsWebhooksController } from './ops-webhooks.controller.js';
import { WebhookEndpoints } from './webhook-endpoints.js';
import { WebhooksController } from './webhooks.controller.js';

/** Portal webhooks: registration, rotation, the delivery log and replays; the operators' backlog. */
@Module({
  imports: [PortalsModule, PiiModule],
  controllers: [WebhooksController, OpsWebhooksController],
  providers: [WebhookEndpoints],
})
export class WebhooksModule {}
