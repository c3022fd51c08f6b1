// Creates the shared test database once per run; each test file then makes its own schema in it.
// With no PostgreSQL configured (TEST_DATABASE_URL unset) and none answering on 127.0.0.1:5432, or with
// TEST_POSTGRES=embedded, the run starts its own embedded PostgreSQL (docs/development.md, "Tests without services").
// The queue backend: TEST_QUEUE_BACKEND (redis or postgres) when set; otherwise Redis when TEST_REDIS_URL is set or
// one answers on 127.0.0.1:6379, else BullMQ's PostgreSQL backend in the test database. The choice goes to the test
// files through the environment, as the database's URL does.
// Plain JavaScript: Jest loads global setup outside its module mapper (the embedded server's code is loaded with tsx).
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { tsImport } from 'tsx/esm/api';

const answers = (port, host = '127.0.0.1') =>
  new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function startEmbedded() {
  const { startEmbeddedPostgres } = await tsImport('../../scripts/embedded-postgres.ts', import.meta.url);
  const dir = await mkdtemp(join(tmpdir(), 'minsheng-test-postgres-'));
  // Under root the server runs as nobody, which must be able to enter the directory.
  await chmod(dir, 0o755);
  // Throw-away data: no fsync. Parallel test files each hold a few pools.
  const server = await startEmbeddedPostgres({
    dataDir: join(dir, 'postgres'),
    logFile: join(dir, 'postgres.log'),
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
  });
  globalThis.__minshengEmbeddedPostgres = { server, dir };
  process.env.TEST_DATABASE_URL = server.url('minsheng_test');
  console.log(`\n[tests] embedded PostgreSQL on 127.0.0.1:${server.port} (data in ${dir})`);
}

export default async function globalSetup() {
  // Both Jest projects (integration, e2e) run this; the second finds the first one's server in the environment.
  if (process.env.TEST_DATABASE_URL === undefined) {
    if (process.env.TEST_POSTGRES === 'embedded' || !(await answers(5432))) await startEmbedded();
  }
  if (process.env.TEST_QUEUE_BACKEND === undefined) {
    const redis = process.env.TEST_REDIS_URL !== undefined || (await answers(6379));
    process.env.TEST_QUEUE_BACKEND = redis ? 'redis' : 'postgres';
  } else if (!['redis', 'postgres'].includes(process.env.TEST_QUEUE_BACKEND)) {
    throw new Error(`TEST_QUEUE_BACKEND must be redis or postgres, not "${process.env.TEST_QUEUE_BACKEND}"`);
  }
  if (!globalThis.__minshengQueueBackendSaid) {
    globalThis.__minshengQueueBackendSaid = true;
    console.log(`\n[tests] queues on ${process.env.TEST_QUEUE_BACKEND === 'redis' ? 'Redis' : 'PostgreSQL'}`);
  }
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/minsheng_test';
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  // Tests drop and create schemas: never run them against a database that is not obviously a test database.
  if (!name.includes('test'))
    throw new Error(`refusing to run tests against database "${name}": its name must contain "test"`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount)
      await client.query(`CREATE DATABASE "${name}"`).catch((e) => {
        if (e.code !== '42P04') throw e;
      });
  } finally {
    await client.end();
  }
  // Each file's schema is a replay of what the real migrations did once here (test/support/schema-script.ts,
  // docs/development.md "A test file's schema"): about half the set-up of migrating every file's schema.
  if (process.env.TEST_SCHEMA_SCRIPT === undefined) {
    const { recordSchemaScript } = await tsImport('./schema-script.ts', import.meta.url);
    const dir = await mkdtemp(join(tmpdir(), 'minsheng-test-schema-'));
    const file = join(dir, 'schema.sql');
    await writeFile(file, await recordSchemaScript(databaseUrl));
    globalThis.__minshengSchemaScriptDir = dir;
    process.env.TEST_SCHEMA_SCRIPT = file;
  }
}
