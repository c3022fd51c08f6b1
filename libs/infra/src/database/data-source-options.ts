import { type DataSourceOptions, type MigrationInterface } from 'typeorm';
import { type AppConfig } from '../config/app-config.js';
import { RECORDS } from './records.js';

/** A TypeORM migration class, as the root `migrations/index.ts` lists them. */
export type MigrationClass = new () => MigrationInterface;

/**
 * The one TypeORM configuration shared by the gateway, the worker and the migration tools: an explicit list of
 * records, never `synchronize` (the schema changes only through reviewed migrations). The migrations live in the
 * root `migrations/` folder, above the libraries: only what applies them (`scripts/prepare-database.ts`, the
 * migration check, the TypeORM CLI's `migrations/data-source.ts`) passes them in.
 */
export function dataSourceOptions(
  config: AppConfig,
  overrides: { poolSize?: number; migrations?: readonly MigrationClass[] } = {},
): DataSourceOptions {
  const { url, schema, poolSize } = config.database;
  return {
    type: 'postgres',
    url,
    schema,
    entities: [...RECORDS],
    migrations: [...(overrides.migrations ?? [])],
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
