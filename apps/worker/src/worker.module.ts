import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
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
import { EngineModule } from './engine/engine.module.js';
import { HeartbeatModule } from './heartbeat/heartbeat.module.js';
import { WorkerMetricsModule } from './metrics/worker-metrics.module.js';
import { RedriveModule } from './redrive/redrive.module.js';
import { ClocksModule } from './clocks/clocks.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { ReviewsModule } from './reviews/reviews.module.js';
import { JobHandlersCheck } from './startup/job-handlers.check.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

const featureModules = [
  HeartbeatModule,
  EngineModule,
  ClocksModule,
  RedriveModule,
  WorkerMetricsModule,
  WebhooksModule,
  PaymentsModule,
  ReviewsModule,
];
const startupChecks = [JobHandlersCheck];

/** Root module of the worker: the same infrastructure as the gateway, plus the BullMQ processors. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        ClockModule.forRoot(clock),
        loggerModule('worker'),
        databaseModule(),
        RedisModule,
        queueRootModule('worker'),
        DiscoveryModule,
        ...featureModules,
      ],
      providers: [...startupChecks],
    };
  }
}
