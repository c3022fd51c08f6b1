import { Module } from '@nestjs/common';
import { PiiModule } from '@minsheng/infra';
import { PaymentFilesService } from './payment-files.service.js';
import { EntitlementChanges, EntitlementsService } from './entitlements.service.js';
import { HouseholdEvents } from './household-events.service.js';
import { PaymentRunsService } from './payment-runs.service.js';
import { PaymentsController } from './payments.controller.js';

@Module({
  imports: [PiiModule],
  controllers: [PaymentsController],
  providers: [PaymentRunsService, EntitlementsService, EntitlementChanges, PaymentFilesService, HouseholdEvents],
})
export class PaymentsModule {}
