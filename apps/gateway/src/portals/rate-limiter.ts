import { Inject, Injectable } from '@nestjs/common';
import { type Redis } from 'ioredis';
import { type AppConfig, APP_CONFIG, REDIS_CLIENT } from '@minsheng/infra';
import { DomainError } from '@minsheng/domain';

const WINDOW_MS = 60_000;

/**
 * Per-portal request limit: a fixed one-minute window counted in Redis (INCR + PEXPIRE), so it holds across any
 * number of gateway processes. The counter carries only the portal id, nothing personal.
 */
@Injectable()
export class PortalRateLimiter {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** @throws DomainError `RATE_LIMIT.EXCEEDED` (429, with `retryAfterSeconds`). */
  async consume(portalId: string, limitPerMinute: number, now = Date.now()): Promise<void> {
    const window = Math.floor(now / WINDOW_MS);
    const key = `${this.config.redis.queuePrefix}:rate-limit:portal:${portalId}:${window}`;
    const results = await this.redis
      .multi()
      .incr(key)
      .pexpire(key, WINDOW_MS + 1_000)
      .exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    if (count > limitPerMinute) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1_000));
      throw new DomainError('RATE_LIMIT.EXCEEDED', `at most ${limitPerMinute} requests per minute`, {
        retryAfterSeconds,
        limitPerMinute,
      });
    }
  }
}
