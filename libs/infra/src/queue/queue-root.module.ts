import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule } from '@nestjs/common';
import {
  setDefaultBackendFactory,
  type ConnectionOptions,
  type DefaultJobOptions,
  type PostgresPoolConfig,
} from 'bullmq';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { redisOptions } from '../redis/redis-options.js';
import { DEFAULT_JOB_OPTIONS } from './queue-contract.js';
import { resilientPostgresBackend } from './postgres-backend.js';

/**
 * BullMQ's root connection, on one of two backends (docs/operations.md, "Queue backends"). On Redis the worker
 * blocks (`maxRetriesPerRequest: null`) and the gateway, which only produces, fails fast when Redis is away. With
 * no REDIS_URL the queues live in PostgreSQL, in the database of DATABASE_URL.
 */
export function queueRootModule(role: 'worker' | 'producer'): DynamicModule {
  return BullModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => {
      useQueueBackend(config);
      return {
        // BullMQ 6 declares its own structural RedisOptions; ioredis' type carries the same fields.
        connection: queueConnection(config, role),
        prefix: config.redis.queuePrefix,
        defaultJobOptions: structuredClone(DEFAULT_JOB_OPTIONS) as DefaultJobOptions,
      };
    },
  });
}

/**
 * Points every BullMQ class this process builds at the configured backend. BullMQ chooses the backend
 * process-wide (the Nest module builds the queues and workers itself), so this runs before any of them exists.
 */
export function useQueueBackend(config: AppConfig): void {
  setDefaultBackendFactory(config.queueBackend === 'postgres' ? resilientPostgresBackend : undefined);
}

/**
 * The connection of one queue, worker or producer. On PostgreSQL, QUEUE_PREFIX becomes the schema the queues live
 * in (its characters that an unquoted SQL name cannot hold become `_`), so two prefixes stay apart as on Redis.
 */
export function queueConnection(config: AppConfig, role: 'worker' | 'producer'): ConnectionOptions {
  if (config.redis.url !== undefined) return redisOptions(config.redis.url, role) as ConnectionOptions;
  const postgres: PostgresPoolConfig = {
    connectionString: config.database.url,
    schema: queueSchema(config.redis.queuePrefix),
    migrate: true,
  };
  return postgres as unknown as ConnectionOptions;
}

export function queueSchema(prefix: string): string {
  return `bullmq_${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}
