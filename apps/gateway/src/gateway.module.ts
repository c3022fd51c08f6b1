import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import {
  type AppConfig,
  AppConfigModule,
  databaseModule,
  loggerModule,
  queueRootModule,
  RedisModule,
} from '@minsheng/infra';
import { HealthModule } from './health/health.module.js';
import { ProblemDetailsFilter } from './problems/problem-details.filter.js';

const featureModules = [HealthModule];

/** Root module of the HTTP gateway. It produces jobs; only the worker processes them. */
@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        AppConfigModule.forRoot(config),
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
