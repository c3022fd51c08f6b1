import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import { type Logger } from 'typeorm';
import { prepareDatabase } from '../../scripts/prepare-database.js';

/**
 * A test file's schema, made in one round trip (docs/development.md "A test file's schema"). Once per
 * run, global-setup.mjs prepares a scratch schema with the real `prepareDatabase` (every migration, the catalog, the
 * shipped calendars) and records each statement it sends, with its parameters written in as literals; each file
 * then replays that script into its own schema in one transaction. The replay is checked once per run against the
 * real thing (`assertReplayMatches`). Migrations, the catalog and the calendars are deterministic in an empty
 * schema (serial ids restart at one in each), so the same statements build the same schema and rows.
 */

/** Stands for the schema's name in the script; replaced by each file's own. */
const PLACEHOLDER = '__minsheng_test_schema__';

/**
 * Statements the replay leaves out. TypeORM's transaction control: the replay is one transaction of its own. And
 * plain SELECTs: reads that steered the preparation (which migrations are pending, whether the catalog is loaded,
 * a parameter's neighbours), which the recorded writes already reflect, and the loaders' advisory locks, which are
 * database-wide and would queue one file's replay behind another's for a schema no one else can see. Leaving out a
 * statement that mattered would show in `assertReplayMatches`.
 */
const LEFT_OUT = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SELECT)\b/i;

/** node-postgres' own conversion of a parameter to its text form (dates, arrays, JSON), which it does not export. */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as {
  prepareValue(value: unknown): string | Buffer | null;
};

/**
 * Writes a statement's parameters in as untyped literals, which PostgreSQL resolves as it resolves untyped
 * parameters. Only statements that had parameters are rewritten (a migration's function body may say `$1`).
 */
function inline(client: pg.Client, query: string, parameters: unknown[]): string {
  if (parameters.length === 0) return query;
  return query.replace(/\$(\d+)\b/g, (_, n: string) => {
    const value = prepareValue(parameters[Number(n) - 1]);
    if (value === null) return 'NULL';
    if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'`;
    return client.escapeLiteral(value);
  });
}

/** Prepares a scratch schema with the real migrations and returns the statements it took, as one script. */
export async function recordSchemaScript(databaseUrl: string): Promise<string> {
  const scratch = `t_schema_script_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const statements: string[] = [];
  const failures: string[] = [];
  const logger: Logger = {
    logQuery(query, parameters) {
      if (LEFT_OUT.test(query)) return;
      statements.push(inline(client, query, Array.isArray(parameters) ? parameters : []));
    },
    logQueryError(error, query) {
      failures.push(`${query}: ${String(error)}`);
    },
    logQuerySlow() {},
    logSchemaBuild() {},
    logMigration() {},
    log() {},
  };
  try {
    await prepareDatabase(
      { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, DATABASE_SCHEMA: scratch },
      { logger },
    );
    if (failures.length > 0) throw new Error(`preparing the schema script failed: ${failures.join('; ')}`);
    const script = statements.map((s) => `${s.split(scratch).join(PLACEHOLDER)};`).join('\n');
    await assertReplayMatches(client, databaseUrl, scratch, script);
    return script;
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${scratch}" CASCADE`);
    await client.end();
  }
}

/**
 * Replays the script into a second schema and compares it with the one the real migrations made: tables, columns,
 * defaults, constraints, indexes, triggers, functions, views, sequences and every row (but for columns a clock or
 * a random source fills). A migration the replay cannot reproduce stops the run here rather than in some test.
 */
async function assertReplayMatches(client: pg.Client, databaseUrl: string, real: string, script: string) {
  const replay = `${real}_replay`;
  await createSchemaFromScript(databaseUrl, replay, script);
  try {
    const [expected, actual] = [await fingerprint(client, real), await fingerprint(client, replay)];
    const differing = Object.keys(expected).filter((k) => expected[k] !== actual[k]);
    if (differing.length > 0)
      throw new Error(`the schema script does not reproduce the migrations (${differing.join(', ')} differ)`);
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${replay}" CASCADE`);
  }
}

async function fingerprint(client: pg.Client, schema: string): Promise<Record<string, string>> {
  const one = async (name: string, sql: string) => {
    const { rows } = await client.query<{ text: string | null }>(sql, [schema]);
    return [name, (rows[0]?.text ?? '').split(schema).join(PLACEHOLDER)] as const;
  };
  // One client: the queries run one after another.
  const parts: (readonly [string, string])[] = [];
  for (const [name, sql] of [
    [
      'columns',
      `SELECT string_agg(concat_ws('|', table_name, column_name, data_type, is_nullable, column_default), E'\n'
         ORDER BY table_name, ordinal_position) AS text FROM information_schema.columns WHERE table_schema = $1`,
    ],
    [
      'constraints',
      `SELECT string_agg(x, E'\n' ORDER BY x) AS text FROM (
         SELECT c.conrelid::regclass::text || '|' || c.conname || '|' || pg_get_constraintdef(c.oid) AS x
           FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1) d`,
    ],
    ['indexes', `SELECT string_agg(indexdef, E'\n' ORDER BY indexname) AS text FROM pg_indexes WHERE schemaname = $1`],
    [
      'triggers',
      `SELECT string_agg(x, E'\n' ORDER BY x) AS text FROM (
         SELECT pg_get_triggerdef(t.oid) AS x FROM pg_trigger t
           JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND NOT t.tgisinternal) d`,
    ],
    [
      'functions',
      `SELECT string_agg(x, E'\n' ORDER BY x) AS text FROM (
         SELECT pg_get_functiondef(p.oid) AS x FROM pg_proc p
           JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1) d`,
    ],
    [
      'views',
      `SELECT string_agg(viewname || '|' || definition, E'\n' ORDER BY viewname) AS text FROM pg_views
        WHERE schemaname = $1`,
    ],
  ] as const)
    parts.push(await one(name, sql));
  const { rows: tables } = await client.query<{ table: string; columns: string[] | null }>(
    `SELECT c.relname AS table,
            array_agg(quote_ident(a.attname) ORDER BY a.attnum)
              FILTER (WHERE a.atttypid NOT IN ('timestamptz'::regtype, 'timestamp'::regtype, 'uuid'::regtype)
                AND a.attname <> 'log_cnt')
              AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'S') GROUP BY c.relname`,
    [schema],
  );
  const rows: (readonly [string, string])[] = [];
  for (const { table, columns } of tables) {
    const list = columns === null ? 'count(*)' : columns.join(', ');
    const { rows: hashed } = await client.query<{ text: string | null }>(
      `SELECT md5(string_agg(x::text, E'\n' ORDER BY x::text)) AS text FROM (SELECT ${list} FROM "${schema}"."${table}") x`,
    );
    rows.push([`rows of ${table}`, hashed[0]?.text ?? '']);
  }
  return Object.fromEntries([...parts, ...rows]);
}

/** Makes `schema` from the recorded script: one round trip, one transaction. */
export async function createSchemaFromScript(databaseUrl: string, schema: string, script: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The connection settings the application's pool has (libs/infra data-source-options.ts), set for the replay.
    await client.query(
      `BEGIN; CREATE SCHEMA "${schema}"; SET LOCAL search_path TO "${schema}", public; SET LOCAL timezone TO 'UTC';\n` +
        `${script.split(PLACEHOLDER).join(schema)}\nCOMMIT;`,
    );
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
