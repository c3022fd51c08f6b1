import { Module } from '@nestjs/common';
import { PublishedParametersModule, QUEUES, registerObservedQueues } from '@minsheng/infra';
import { SchedulersModule } from '../schedulers/schedulers.module.js';
import { EntitlementReviewSweep } from './entitlement-review-sweep.js';
import { EntitlementReviewsProcessor } from './entitlement-reviews.processor.js';

/** Periodic review of entitlements (动态管理, docs/money.md "Periodic review"). */
@Module({
  imports: [registerObservedQueues(QUEUES.entitlementReviews), PublishedParametersModule, SchedulersModule],
  providers: [EntitlementReviewsProcessor, EntitlementReviewSweep],
  exports: [EntitlementReviewSweep],
})
export class ReviewsModule {}
