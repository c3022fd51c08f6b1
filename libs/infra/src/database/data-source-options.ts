import { type DataSourceOptions } from 'typeorm';
import { type AppConfig } from '../config/app-config.js';
import { MIGRATIONS } from '../../../../migrations/index.js';
import { RECORDS } from './records.js';

/**
 * The one TypeORM configuration shared by the gateway, the worker and the migration CLI: an explicit list of
 * records and migrations, never `synchronize` (the schema changes only through reviewed migrations).
 */
export function dataSourceOptions(config: AppConfig, overrides: { poolSize?: number } = {}): DataSourceOptions {
  const { url, schema, poolSize } = config.database;
  return {
    type: 'postgres',
    url,
    schema,
    entities: [...RECORDS],
    migrations: [...MIGRATIONS],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    poolSize: overrides.poolSize ?? poolSize,
    applicationName: 'minsheng',
    extra: {
      // Raw SQL (the engine's hot path) must land in the same schema as the records: tests give each file its own.
      options: `-c search_path=${schema},public -c timezone=UTC`,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    },
  };
}
