// Preloaded into the gateway and worker processes the bench starts (bench/support/processes.ts): counts every
// PostgreSQL statement and Redis command the process sends, by its text. Plain JavaScript: the apps run compiled,
// without a TypeScript loader.
// - BENCH_COUNT_SOCKETS=<dir>: a Unix socket <dir>/<pid>.sock answers each connection with the counts so far (JSON),
//   so the bench reads them at the instant a phase starts and ends (bench/support/counts.ts).
// - BENCH_COUNT_STATEMENTS=<dir>: the counts are also written to <dir>/<pid>.json every second (profiles).
// - BENCH_COUNT_SCRIPTS=1: a Redis command is named by what it runs too, for a breakdown (bench/profiles/engine.md
//   "Redis commands per breach"): a BullMQ script by its name and its first key's queue and part
//   (`evalsha:moveToActive@clock-timers:wait`), a blocking read by its key. Without it the names are the commands'.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const fileDir = process.env.BENCH_COUNT_STATEMENTS;
const socketDir = process.env.BENCH_COUNT_SOCKETS;

if (isMainThread && (fileDir || socketDir)) {
  const require = createRequire(join(process.cwd(), 'package.json'));
  // Counted by the statement's exact text (a map lookup, no string work on the hot path); named when read.
  const byText = new Map();
  const commands = new Map();
  const totals = { statements: 0, redis: 0 };
  // A statement is named by its first words, whitespace folded: enough to tell the engine's statements apart.
  const nameOf = (text) => String(text).replace(/\s+/g, ' ').trim().slice(0, 90);
  const folded = new Map();
  const add = (map, key, n) => map.set(key, (map.get(key) ?? 0) + n);

  const pg = require('pg');
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function counted(config, ...rest) {
    const text = typeof config === 'string' ? config : config?.text;
    totals.statements += 1;
    byText.set(text, (byText.get(text) ?? 0) + 1);
    // Statements built with their values inline would each be a new text: fold them before they pile up.
    if (byText.size > 5_000) {
      for (const [t, n] of byText) add(folded, nameOf(t), n);
      byText.clear();
    }
    return query.call(this, config, ...rest);
  };

  const scripts = process.env.BENCH_COUNT_SCRIPTS === '1' ? await bullmqScriptNames(require) : null;
  const keyTail = (key) => String(key).split(':').slice(-2).join(':');
  const commandName = (command) => {
    const name = command?.name ?? '?';
    if (scripts === null) return name;
    const args = command.args ?? [];
    if (name === 'evalsha') return `${name}:${scripts.get(String(args[0])) ?? '?'}@${keyTail(args[2])}`;
    if (name === 'bzpopmin') return `${name}:${keyTail(args[0])}`;
    return name;
  };

  const { Redis } = require('ioredis');
  const sendCommand = Redis.prototype.sendCommand;
  Redis.prototype.sendCommand = function counted(command, ...rest) {
    totals.redis += 1;
    add(commands, commandName(command), 1);
    return sendCommand.call(this, command, ...rest);
  };

  const snapshot = () => {
    const statements = new Map(folded);
    for (const [t, n] of byText) add(statements, nameOf(t), n);
    const sorted = (map) => Object.fromEntries([...map].sort((a, b) => b[1] - a[1]));
    return JSON.stringify({
      pid: process.pid,
      argv: process.argv.slice(1),
      totals,
      statements: sorted(statements),
      redis: sorted(commands),
    });
  };

  if (socketDir) {
    const server = createServer((socket) => socket.end(snapshot()));
    server.on('error', (error) => console.error(`statement-counter: ${error.message}`));
    server.listen(join(socketDir, `${process.pid}.sock`));
    server.unref();
  }
  if (fileDir) {
    // Written every second rather than at exit: Nest stops on SIGTERM by re-raising the signal, and a process
    // killed by a signal runs no exit handlers. The directory is made if missing (a run that named a new one failed
    // every counted phase on its first read).
    mkdirSync(fileDir, { recursive: true });
    setInterval(() => writeFileSync(join(fileDir, `${process.pid}.json`), snapshot()), 1000).unref();
  }
}

/** BullMQ's Lua scripts by their SHA-1 (what `evalsha` sends): each script module exports its name and text. */
async function bullmqScriptNames(require) {
  const dir = join(dirname(require.resolve('bullmq')), 'scripts');
  const names = new Map();
  for (const file of readdirSync(dir).filter((f) => /^[a-zA-Z]+-\d+\.js$/.test(f))) {
    for (const script of Object.values(require(join(dir, file)))) {
      if (typeof script?.content === 'string') {
        names.set(createHash('sha1').update(script.content).digest('hex'), script.name);
      }
    }
  }
  return names;
}
