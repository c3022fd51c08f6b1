import pg from 'pg';

/**
 * Creates the configured database when it does not exist yet, so `npm start` works on a fresh PostgreSQL.
 * Connects to the server's `postgres` maintenance database with the same credentials.
 */
export async function ensureDatabase(databaseUrl: string): Promise<{ created: boolean; name: string }> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsupported database name ${JSON.stringify(name)}`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return { created: false, name };
    await client.query(`CREATE DATABASE "${name}"`);
    return { created: true, name };
  } catch (error) {
    // Two processes racing to create it: the loser sees 42P04 (duplicate_database), which is fine.
    if ((error as { code?: string }).code === '42P04') return { created: false, name };
    throw error;
  } finally {
    await client.end();
  }
}
