import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@minsheng/infra';
import { ContractWorkerHost, type JobHandlers } from '../queues/contract-worker-host.js';
import { EntitlementReviewSweep } from './entitlement-review-sweep.js';

/** The `entitlement-reviews` queue: the daily review sweep (docs/money.md "Periodic review"). */
@Processor(QUEUES.entitlementReviews)
export class EntitlementReviewsProcessor extends ContractWorkerHost<'entitlement-reviews'> {
  constructor(private readonly reviews: EntitlementReviewSweep) {
    super();
  }

  protected readonly handlers: JobHandlers<'entitlement-reviews'> = {
    sweep: () => this.reviews.sweep(),
  };
}
