import { Processor } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig, QUEUES, type WebhookDeliver } from '@minsheng/infra';
import { ContractWorkerHost, type JobHandlers } from '../queues/contract-worker-host.js';
import { type DeliveryOutcome, WebhookDelivery } from './webhook-delivery.js';

/**
 * The `webhooks` queue: one job sends one dispatch of one delivery. A failed HTTP attempt is not a failed job (the
 * delivery schedules its own next dispatch, docs/webhooks.md "Delivery, order and retries"); a job fails only when PostgreSQL is away,
 * and BullMQ retries it.
 */
@Processor(QUEUES.webhooks, { lockDuration: 60_000 })
export class WebhooksProcessor extends ContractWorkerHost<'webhooks'> implements OnApplicationBootstrap {
  protected readonly handlers: JobHandlers<'webhooks'> = { deliver: (job) => this.deliver(job) };

  constructor(
    private readonly delivery: WebhookDelivery,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  private deliver(job: Job<WebhookDeliver>): Promise<DeliveryOutcome> {
    return this.delivery.run(job.data);
  }
}
