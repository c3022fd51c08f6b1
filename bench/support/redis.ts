import { Redis } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import { queueConnection as appQueueConnection } from '@minsheng/infra';
import type { BenchContext } from './context.js';

/**
 * A BullMQ connection for the bench's own queues and workers, on the backend of the current pass (the bench set
 * it process-wide with `useQueueBackend`): a Redis connection (workers block on Redis, so BullMQ needs
 * maxRetriesPerRequest null), or the PostgreSQL pool settings the apps use (each Queue and Worker opens its own
 * pool and closes it with itself).
 */
export function queueConnection(ctx: Pick<BenchContext, 'config'>): ConnectionOptions {
  if (ctx.config.redis.url === undefined) return appQueueConnection(ctx.config, 'worker');
  return new Redis(ctx.config.redis.url, { maxRetriesPerRequest: null }) as unknown as ConnectionOptions;
}

/** Closes what `queueConnection` opened: the Redis connection; a PostgreSQL pool closed with its queue. */
export async function closeQueueConnection(connection: ConnectionOptions): Promise<void> {
  if (connection instanceof Redis) await connection.quit();
}

/** Deletes every key of the bench's queue prefix (and nothing else: this Redis may be shared). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? Number.NaN);
}

/**
 * Deletes the queue prefixes of earlier bench runs that did not finish (a stopped run leaves its jobs behind):
 * the bench's database was just dropped, so nothing can use them, and they would swell "Redis used memory before".
 */
export async function deleteEarlierRuns(redis: Redis, current: string): Promise<string[]> {
  const prefixes = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', 'bench-*:*', 'COUNT', 1_000);
    cursor = next;
    for (const key of keys) {
      const prefix = key.slice(0, key.indexOf(':'));
      if (/^bench-\d+$/.test(prefix) && prefix !== current) prefixes.add(prefix);
    }
  } while (cursor !== '0');
  for (const prefix of prefixes) await deletePrefix(redis, prefix);
  return [...prefixes];
}
