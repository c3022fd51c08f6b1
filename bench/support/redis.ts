import { Redis } from 'ioredis';
import type { BenchContext } from './context.js';

/** A BullMQ connection (workers block on Redis, so BullMQ needs maxRetriesPerRequest null). */
export function queueConnection(ctx: Pick<BenchContext, 'config'>): Redis {
  return new Redis(ctx.config.redis.url, { maxRetriesPerRequest: null });
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
