import { type RedisOptions } from 'ioredis';

/** Where the benchmark and tools that need Redis look for it when REDIS_URL is not set. */
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

export type RedisRole = 'worker' | 'producer' | 'client';

/**
 * ioredis options per BullMQ's production guide: workers block on Redis and must wait for it forever
 * (`maxRetriesPerRequest: null`); producers inside HTTP handlers fail fast instead of queueing commands while
 * Redis is away (`enableOfflineQueue: false`), so a request answers 503 rather than hanging.
 */
export function redisOptions(url: string, role: RedisRole): RedisOptions {
  const u = new URL(url);
  const base: RedisOptions = {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    retryStrategy: (attempt) => Math.min(1_000 * 2 ** Math.min(attempt, 5), 20_000),
  };
  switch (role) {
    case 'worker':
      return { ...base, maxRetriesPerRequest: null, enableReadyCheck: true };
    case 'producer':
      return { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    case 'client':
      return { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false };
  }
}

/** Resolves once the client is connected (clients that fail fast refuse commands until then). */
export async function waitForRedis(
  redis: { status: string; once(event: string, fn: (...a: unknown[]) => void): unknown },
  timeoutMs = 10_000,
): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not ready after ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
