import { type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { dataSourceOptions } from './data-source-options.js';

/** The TypeORM data source of both apps, built from the same options as the migration CLI. */
export function databaseModule(): DynamicModule {
  return TypeOrmModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      ...dataSourceOptions(config),
      // Keep trying at boot only briefly: a missing database is an operator problem, shown by /health/ready.
      retryAttempts: 3,
      retryDelay: 1_000,
    }),
  });
}
