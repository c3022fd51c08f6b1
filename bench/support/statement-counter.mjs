// Preloaded into the gateway and worker by `BENCH_COUNT_STATEMENTS=<dir> npm run bench` (bench/support/processes.ts):
// counts every PostgreSQL statement and Redis command the process sends, by its text, and writes the counts to
// <dir>/<pid>.json every second. Plain JavaScript: the apps run compiled, without a TypeScript loader.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const dir = process.env.BENCH_COUNT_STATEMENTS;
const require = createRequire(join(process.cwd(), 'package.json'));
const statements = new Map();
const commands = new Map();
const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
// A statement is named by its first words, whitespace folded: enough to tell the engine's statements apart.
const nameOf = (text) => String(text).replace(/\s+/g, ' ').trim().slice(0, 90);

const pg = require('pg');
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(config, ...rest) {
  count(statements, nameOf(typeof config === 'string' ? config : config?.text));
  return query.call(this, config, ...rest);
};

const { Redis } = require('ioredis');
const sendCommand = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function counted(command, ...rest) {
  count(commands, command?.name ?? '?');
  return sendCommand.call(this, command, ...rest);
};

// Written every second rather than at exit: Nest stops on SIGTERM by re-raising the signal, and a process killed
// by a signal runs no exit handlers.
const write = () => {
  const sorted = (map) => Object.fromEntries([...map].sort((a, b) => b[1] - a[1]));
  const counts = {
    pid: process.pid,
    argv: process.argv.slice(1),
    statements: sorted(statements),
    redis: sorted(commands),
  };
  writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(counts, null, 1));
};
setInterval(write, 1000).unref();
