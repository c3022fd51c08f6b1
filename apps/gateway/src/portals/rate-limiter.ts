import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, APP_CONFIG, REDIS_CLIENT, type RedisClient } from '@minsheng/infra';
import { DomainError } from '@minsheng/domain';

const WINDOW_MS = 60_000;

/**
 * ioredis sends it as EVALSHA (loading it once per connection): one command and one reply per batch. INCRBY adds the
 * batch's requests at once; the window's expiry is set by whichever batch opened it.
 */
const COUNT_COMMAND = 'minshengPortalRateCountBy';
const COUNT_SCRIPT = `local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

interface CountCommand {
  [COUNT_COMMAND]?: (key: string, ttlMs: number, by: number) => Promise<number>;
}

type Count = (key: string, ttlMs: number) => Promise<number>;

interface PendingBatch {
  readonly ttlMs: number;
  readonly waiters: { resolve: (n: number) => void; reject: (error: unknown) => void }[];
}

/**
 * Coalesces the increments of one key that arrive in the same turn of the event loop into one INCRBY, sent when the
 * turn's I/O callbacks are done (setImmediate). Each request still gets the count it would have had alone: the
 * batch's k requests take the k values up to the total Redis returns, in arrival order, so the limit stays exact.
 * The price is at most one loop turn of waiting; measured in
 * bench/profiles/intake.md "The gateway's cost, second pass (2026-12-07)".
 */
export function coalescedCount(countBy: (key: string, ttlMs: number, by: number) => Promise<number>): Count {
  const pending = new Map<string, PendingBatch>();
  const flush = () => {
    const batches = [...pending];
    pending.clear();
    for (const [key, batch] of batches) {
      const by = batch.waiters.length;
      countBy(key, batch.ttlMs, by).then(
        (reply) => {
          const first = Number(reply) - by + 1;
          batch.waiters.forEach((waiter, i) => waiter.resolve(first + i));
        },
        (error: unknown) => batch.waiters.forEach((waiter) => waiter.reject(error)),
      );
    }
  };
  return (key, ttlMs) =>
    new Promise<number>((resolve, reject) => {
      let batch = pending.get(key);
      if (batch === undefined) {
        if (pending.size === 0) setImmediate(flush);
        batch = { ttlMs, waiters: [] };
        pending.set(key, batch);
      }
      batch.waiters.push({ resolve, reject });
    });
}

/** A fixed-window counter in this process's memory; windows that have ended are dropped as new ones start. */
function countInProcess(): Count {
  const counts = new Map<string, number>();
  let window = '';
  return (key) => {
    const keyWindow = key.slice(key.lastIndexOf(':') + 1);
    if (keyWindow !== window) {
      for (const old of counts.keys()) if (!old.endsWith(`:${keyWindow}`)) counts.delete(old);
      window = keyWindow;
    }
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    return Promise.resolve(n);
  };
}

/**
 * Per-portal request limit: a fixed one-minute window counted in Redis (INCRBY of the requests arriving together,
 * PEXPIRE on the window's first batch, in one script), so it holds across any number of gateway processes. The
 * counter carries only the portal id, nothing personal. Without Redis (queues on PostgreSQL,
 * docs/operations.md "Queue backends") the window is counted in this process: exact for the single gateway
 * `npm start` runs, per process when there are several.
 */
@Injectable()
export class PortalRateLimiter {
  private readonly count: Count;

  constructor(
    @Inject(REDIS_CLIENT) redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    if (redis === null) {
      this.count = countInProcess();
      return;
    }
    const commands = redis as unknown as CountCommand;
    // The client is shared: define the script once, whoever gets there first.
    if (commands[COUNT_COMMAND] === undefined)
      redis.defineCommand(COUNT_COMMAND, { numberOfKeys: 1, lua: COUNT_SCRIPT });
    this.count = coalescedCount((key, ttlMs, by) => commands[COUNT_COMMAND]!.call(redis, key, ttlMs, by));
  }

  /** @throws DomainError `RATE_LIMIT.EXCEEDED` (429, with `retryAfterSeconds`). */
  // eslint-disable-next-line no-restricted-syntax -- rate windows are infrastructure time
  async consume(portalId: string, limitPerMinute: number, now = Date.now()): Promise<void> {
    const window = Math.floor(now / WINDOW_MS);
    const key = `${this.config.redis.queuePrefix}:rate-limit:portal:${portalId}:${window}`;
    const count = Number(await this.count(key, WINDOW_MS + 1_000));
    if (count > limitPerMinute) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1_000));
      throw new DomainError('RATE_LIMIT.EXCEEDED', `at most ${limitPerMinute} requests per minute`, {
        retryAfterSeconds,
        limitPerMinute,
      });
    }
  }
}
