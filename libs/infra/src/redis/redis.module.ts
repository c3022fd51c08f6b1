import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { redisOptions } from './redis-options.js';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** The REDIS_CLIENT provider: null when REDIS_URL is not set and the queues run on PostgreSQL. */
export type RedisClient = Redis | null;

/** A plain Redis client for health checks, rate limits and policy checks (queues have their own connections). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): RedisClient =>
        config.redis.url === undefined ? null : new Redis(redisOptions(config.redis.url, 'client')),
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
