import { Module } from '@nestjs/common';
import { EntitlementsService } from './entitlements.service.js';
import { PaymentRunsService } from './payment-runs.service.js';
import { PaymentsController } from './payments.controller.js';

@Module({ controllers: [PaymentsController], providers: [PaymentRunsService, EntitlementsService] })
export class PaymentsModule {}
