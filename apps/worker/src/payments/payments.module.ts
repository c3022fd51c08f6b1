import { Module } from '@nestjs/common';
import { PublishedParametersModule, QUEUES, registerObservedQueues } from '@minsheng/infra';
import { SchedulersModule } from '../schedulers/schedulers.module.js';
import { PaymentRunBuilder } from './payment-run-builder.js';
import { PaymentRunScheduler } from './payment-run-scheduler.js';
import { PaymentRunsProcessor } from './payment-runs.processor.js';

/** Monthly payment runs: the scheduler that opens them and the builder of their lines (docs/money.md). */
@Module({
  imports: [registerObservedQueues(QUEUES.paymentRuns), PublishedParametersModule, SchedulersModule],
  providers: [PaymentRunsProcessor, PaymentRunBuilder, PaymentRunScheduler],
  exports: [PaymentRunBuilder, PaymentRunScheduler],
})
export class PaymentsModule {}
