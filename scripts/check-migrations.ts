import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase, loadConfig } from '@minsheng/infra';
import { MIGRATIONS } from '../migrations/index.js';

/**
 * CI check that the records and the migrations agree: migrate a scratch database from empty, then ask TypeORM
 * what it would change to match the records. Any statement means a record changed without a migration (or the
 * reverse). The same comparison `migration:generate` makes, without writing a file.
 */
const base = new URL(
  process.env['MIGRATION_CHECK_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/minsheng_migration_check',
);
const config = loadConfig({
  ...process.env,
  DATABASE_URL: base.toString(),
  DATABASE_SCHEMA: 'public',
  LOG_LEVEL: 'silent',
});
await ensureDatabase(config.database.url);
const dataSource = new DataSource(dataSourceOptions(config, { poolSize: 2, migrations: MIGRATIONS }));
await dataSource.initialize();
let exitCode = 0;
try {
  await dataSource.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  const pending = await dataSource.driver.createSchemaBuilder().log();
  if (pending.upQueries.length > 0) {
    console.error('Records and migrations disagree. A migration would need:');
    for (const q of pending.upQueries) console.error(`  ${q.query};`);
    exitCode = 1;
  } else {
    console.log(`records and migrations agree (${applied.length} migrations applied to an empty database)`);
  }
  // Every migration must also revert cleanly, so `migration:revert` is a real way back.
  for (let i = 0; i < applied.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
  const [{ count }] = (await dataSource.query(
    `SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
  )) as [{ count: number }];
  if (count !== 0) {
    console.error(`reverting every migration left ${count} tables behind`);
    exitCode = 1;
  }
} finally {
  await dataSource.destroy();
}
process.exit(exitCode);
