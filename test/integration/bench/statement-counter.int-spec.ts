import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readCounts } from '../../../bench/support/counts.js';
import { describeOnQueueBackend } from '../../support/queue-backend.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../../support/test-database.js';

// The bench's counting probe (bench/README.md, "Statements and Redis commands per unit"), preloaded into a real
// process as the bench preloads it into the gateway and workers, against the real PostgreSQL and Redis.
const ROOT = resolve(import.meta.dirname, '../../..');
const PROBE = pathToFileURL(join(ROOT, 'bench/support/statement-counter.mjs')).href;

/** Runs `script` (CommonJS) with the probe; resolves once it printed `sent`, then keeps it alive until stopped. */
async function withProbe(
  script: string,
  check: (socket: string) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'minsheng-counter-test-'));
  let child: ChildProcess | undefined;
  try {
    child = spawn(process.execPath, ['--import', PROBE, '-e', script], {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        BENCH_COUNT_SOCKETS: dir,
        DB: TEST_DATABASE_URL,
        REDIS: TEST_REDIS_URL,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((ready, failed) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('sent')) ready();
      });
      child!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child!.once('exit', (code) => failed(new Error(`the script exited (${code}): ${output}`)));
    });
    await check(join(dir, `${child.pid}.sock`));
  } finally {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the bench counting probe', () => {
  it('counts every statement a pg client sends, by its text, and answers on its socket', async () => {
    const script = `
      const pg = require('pg');
      (async () => {
        const client = new pg.Client({ connectionString: process.env.DB });
        await client.connect();
        for (let i = 0; i < 3; i += 1) await client.query('SELECT $1::int AS n', [i]);
        await client.query({ text: 'SELECT\\n   2   AS two' });
        await client.end();
        console.log('sent');
        setInterval(() => undefined, 1000);
      })();`;
    await withProbe(script, async (socket) => {
      const counts = await readCounts(socket);
      expect(counts.totals.statements).toBe(4);
      expect(counts.statements).toEqual({ 'SELECT $1::int AS n': 3, 'SELECT 2 AS two': 1 });
      expect(counts.totals.redis).toBe(0);
    });
  });
});

describeOnQueueBackend('redis', 'the bench counting probe on Redis', () => {
  it('counts every Redis command an ioredis client sends, by name', async () => {
    const script = `
      const { Redis } = require('ioredis');
      (async () => {
        const redis = new Redis(process.env.REDIS, { enableReadyCheck: false, lazyConnect: true });
        await redis.connect();
        await redis.ping();
        await redis.ping();
        await redis.echo('counted');
        console.log('sent');
        setInterval(() => undefined, 1000);
      })();`;
    await withProbe(script, async (socket) => {
      const counts = await readCounts(socket);
      // ioredis also sends its own on connecting (CLIENT SETINFO with the library's name and version): counted too.
      expect(counts.redis).toMatchObject({ ping: 2, echo: 1 });
      const sent = Object.values(counts.redis).reduce((a, b) => a + b, 0);
      expect(counts.totals).toEqual({ statements: 0, redis: sent });
    });
  });

  it('names each BullMQ script it counts by the script and its queue, with BENCH_COUNT_SCRIPTS=1', async () => {
    const queue = `counter-test-${randomUUID()}`;
    const script = `
      const { Queue, Worker } = require('bullmq');
      (async () => {
        const connection = { url: process.env.REDIS, maxRetriesPerRequest: null };
        const queue = new Queue(process.env.QUEUE, { connection, prefix: 'counter-test' });
        await queue.add('one', {});
        const worker = new Worker(process.env.QUEUE, async () => undefined, { connection, prefix: 'counter-test' });
        await new Promise((done) => worker.once('completed', done));
        await worker.close();
        await queue.obliterate({ force: true });
        await queue.close();
        console.log('sent');
        setInterval(() => undefined, 1000);
      })();`;
    await withProbe(
      script,
      async (socket) => {
        const counts = await readCounts(socket);
        expect(counts.redis).toMatchObject({
          [`evalsha:addStandardJob@${queue}:wait`]: 1,
          [`evalsha:moveToFinished@${queue}:wait`]: 1,
        });
        expect(counts.redis[`evalsha:moveToActive@${queue}:wait`]).toBeGreaterThanOrEqual(1);
        expect(Object.keys(counts.redis).filter((name) => name.startsWith('evalsha:?'))).toEqual([]);
        expect(counts.redis['evalsha']).toBeUndefined();
      },
      { BENCH_COUNT_SCRIPTS: '1', QUEUE: queue },
    );
  });
});
