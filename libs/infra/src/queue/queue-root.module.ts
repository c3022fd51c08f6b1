import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule } from '@nestjs/common';
import { type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { redisOptions } from '../redis/redis-options.js';
import { DEFAULT_JOB_OPTIONS } from './queue-contract.js';

/**
 * BullMQ's root connection. The worker blocks on Redis (`maxRetriesPerRequest: null`); the gateway only produces
 * and must fail fast when Redis is away.
 */
export function queueRootModule(role: 'worker' | 'producer'): DynamicModule {
  return BullModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      // BullMQ 6 declares its own structural RedisOptions; ioredis' type carries the same fields.
      connection: redisOptions(config.redis.url, role) as ConnectionOptions,
      prefix: config.redis.queuePrefix,
      defaultJobOptions: structuredClone(DEFAULT_JOB_OPTIONS) as DefaultJobOptions,
    }),
  });
}
