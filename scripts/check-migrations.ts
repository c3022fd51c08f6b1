import 'reflect-metadata';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase, loadConfig } from '@minsheng/infra';
import { MIGRATIONS } from '../migrations/index.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';

/**
 * CI check that the records and the migrations agree: migrate a scratch database from empty, then ask TypeORM
 * what it would change to match the records. Any statement means a record changed without a migration (or the
 * reverse). The same comparison `migration:generate` makes, without writing a file.
 */
const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

// With no database given and none answering on 127.0.0.1:5432 (a machine with nothing but Node), the check runs on
// an embedded PostgreSQL of its own in a temporary directory (docs/development.md, "Tests without services").
let embedded: { server: EmbeddedPostgres; dir: string } | undefined;
let given = process.env['MIGRATION_CHECK_DATABASE_URL'];
if (given === undefined && !(await answers(5432))) {
  const dir = await mkdtemp(join(tmpdir(), 'minsheng-migration-check-'));
  await chmod(dir, 0o755); // under root the server runs as nobody, which must enter the directory
  const server = await startEmbeddedPostgres({
    dataDir: join(dir, 'postgres'),
    logFile: join(dir, 'postgres.log'),
    settings: { fsync: 'off' },
  });
  embedded = { server, dir };
  given = server.url('minsheng_migration_check');
}
const base = new URL(given ?? 'postgres://postgres@127.0.0.1:5432/minsheng_migration_check');
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
  if (embedded !== undefined) {
    await embedded.server.stop();
    await rm(embedded.dir, { recursive: true, force: true });
  }
}
process.exit(exitCode);
