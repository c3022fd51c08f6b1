import 'reflect-metadata';
import { DataSource, type Logger } from 'typeorm';
import { dataSourceOptions, ensureDatabase, loadCatalog, loadConfig, publishShippedCalendars } from '@minsheng/infra';
import { MIGRATIONS } from '../migrations/index.js';
import { isEntryPoint } from './entry-point.js';

/**
 * Brings the configured database to the current schema: creates it if missing, creates the schema, applies
 * pending migrations. Later steps (catalog load, development portal) hang off `prepareDatabase`'s caller.
 * `logger` sees every statement (the tests record them once per run to replay into each file's schema,
 * test/support/schema-script.ts).
 */
export async function prepareDatabase(
  env: Record<string, string | undefined> = process.env,
  options: { logger?: Logger } = {},
): Promise<string[]> {
  const config = loadConfig(env);
  await ensureDatabase(config.database.url);
  const dataSource = new DataSource({
    ...dataSourceOptions(config, { poolSize: 2, migrations: MIGRATIONS }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${config.database.schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    // The catalog is loaded before anything can reference its items, departments or divisions (a no-op when unchanged).
    await loadCatalog(dataSource);
    // The official calendars shipped in libs/domain become version rows (idempotent); deadlines count only in these.
    await publishShippedCalendars(dataSource);
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

if (isEntryPoint(import.meta.url)) {
  const applied = await prepareDatabase();
  console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');
}
