import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { type Clock } from '@minsheng/domain';
import {
  type AppConfig,
  AppConfigModule,
  ClockModule,
  databaseModule,
  loggerModule,
  queueRootModule,
  RedisModule,
} from '@minsheng/infra';
import { ApplicationsModule } from './applications/applications.module.js';
import { StaffAuthModule } from './auth/staff-auth.module.js';
import { CalendarModule } from './calendar/calendar.module.js';
import { CasesModule } from './cases/cases.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OpsModule } from './ops/ops.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { ProblemDetailsFilter } from './problems/problem-details.filter.js';
import { ClocksModule } from './clocks/clocks.module.js';
import { StaffCasesModule } from './staff-cases/staff-cases.module.js';
import { SatisfactionModule } from './satisfaction/satisfaction.module.js';
import { AttainmentModule } from './attainment/attainment.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

export const featureModules = [
  StaffAuthModule,
  HealthModule,
  CatalogModule,
  OpsModule,
  MetricsModule,
  ApplicationsModule,
  CasesModule,
  CalendarModule,
  ClocksModule,
  TasksModule,
  StaffCasesModule,
  SatisfactionModule,
  AttainmentModule,
  WebhooksModule,
  PaymentsModule,
  ReportsModule,
];

/** Root module of the HTTP gateway. It produces jobs; only the worker processes them. */
@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        AppConfigModule.forRoot(config),
        ClockModule.forRoot(clock),
        loggerModule('gateway'),
        databaseModule(),
        RedisModule,
        queueRootModule('producer'),
        ...featureModules,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
