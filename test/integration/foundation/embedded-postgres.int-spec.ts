import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../scripts/embedded-postgres.js';

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as unknown[];
  } finally {
    await client.end();
  }
}

/**
 * The embedded mode's database (docs/operations.md, "Embedded mode"): a real PostgreSQL from the npm package's
 * binaries, initialised on first start, kept across restarts, on a free loopback port, unprivileged under root.
 */
describe('embedded PostgreSQL', () => {
  let root: string;
  let server: EmbeddedPostgres | undefined;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'minsheng-embedded-'));
    // mkdtemp makes it private to its owner; the unprivileged server user must be able to enter it.
    await chmod(root, 0o755);
  });

  afterAll(async () => {
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('initialises a cluster, serves SQL, stops, and keeps its data for the next start', async () => {
    const options = { dataDir: join(root, 'postgres'), logFile: join(root, 'postgres.log') };
    server = await startEmbeddedPostgres(options);
    expect(server.initialised).toBe(true);
    expect(server.runsAs).toBe(process.getuid?.() === 0 ? 'nobody' : undefined);
    const url = server.url('postgres');
    expect(url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    await query(url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
    if (server.runsAs) {
      // The cluster belongs to the unprivileged user, not to root.
      expect((await stat(join(root, 'postgres', 'PG_VERSION'))).uid).not.toBe(0);
    }
    await server.stop();
    await expect(query(url, 'SELECT 1')).rejects.toThrow();

    server = await startEmbeddedPostgres(options);
    expect(server.initialised).toBe(false);
    expect(await query(server.url('postgres'), 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
    await server.stop();
    expect(await readFile(options.logFile, 'utf8')).toContain('database system is ready to accept connections');
  });

  it('says what went wrong when the server cannot start', async () => {
    const options = { dataDir: join(root, 'broken'), logFile: join(root, 'broken.log') };
    await expect(startEmbeddedPostgres({ ...options, settings: { max_connections: 'many' } })).rejects.toThrow(
      /did not start: the server exited/,
    );
  });
});
