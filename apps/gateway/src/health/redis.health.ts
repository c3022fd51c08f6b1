import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { REDIS_CLIENT, type RedisClient } from '@minsheng/infra';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {}

  /** False when the queues run on PostgreSQL: there is no Redis to check. */
  get configured(): boolean {
    return this.redis !== null;
  }

  ping(key: 'redis') {
    return this.health
      .check(key)
      .attempt(async () => {
        const reply = await this.redis!.ping();
        if (reply !== 'PONG') throw new Error(`unexpected reply ${reply}`);
      })
      .withTimeout(1_000);
  }
}
