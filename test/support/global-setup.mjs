// Creates the shared test database once per run; each test file then makes its own schema in it.
// Plain JavaScript: Jest loads global setup outside its module mapper.
import pg from 'pg';

export default async function globalSetup() {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/minsheng_test');
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
}
