import { Module } from '@nestjs/common';
import { PiiModule, PublishedParametersModule } from '@minsheng/infra';
import { EntitlementReviewsService } from './entitlement-reviews.service.js';
import { PaymentFilesService } from './payment-files.service.js';
import { EntitlementChanges, EntitlementsService } from './entitlements.service.js';
import { HouseholdEvents } from './household-events.service.js';
import { PaymentRunsService } from './payment-runs.service.js';
import { PaymentsController } from './payments.controller.js';

@Module({
  imports: [PiiModule, PublishedParametersModule],
  controllers: [PaymentsController],
  providers: [
    PaymentRunsService,
    EntitlementsService,
    EntitlementChanges,
    PaymentFilesService,
    EntitlementReviewsService,
    HouseholdEvents,
  ],
})
export class PaymentsModule {}
