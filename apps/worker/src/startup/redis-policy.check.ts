import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type AppConfig, checkEvictionPolicy, redisOptions, waitForRedis } from '@minsheng/infra';

export class EvictingRedisError extends Error {
  constructor(
    readonly policy: string,
    reason: string,
  ) {
    super(`refusing to start: ${reason}`);
    this.name = 'EvictingRedisError';
  }
}

/**
 * The worker refuses to run on an evicting Redis (evicted queue keys are lost work); development only warns.
 * Runs before the application opens any queue connection, so a refusal leaves nothing behind.
 */
export async function assertRedisKeepsQueues(
  config: AppConfig,
): Promise<'keeps-queues' | 'warned' | 'queues-on-postgres'> {
  // Queues in PostgreSQL are kept like any other table: there is nothing to evict.
  if (config.redis.url === undefined) return 'queues-on-postgres';
  const redis = new Redis(redisOptions(config.redis.url, 'client'));
  try {
    await waitForRedis(redis);
    const verdict = await checkEvictionPolicy(redis);
    if (verdict.ok) return 'keeps-queues';
    if (config.env !== 'development') throw new EvictingRedisError(verdict.policy, verdict.reason);
    new Logger('RedisPolicy').warn(`${verdict.reason} (allowed in development only)`);
    return 'warned';
  } finally {
    redis.disconnect();
  }
}
