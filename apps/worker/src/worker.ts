import 'reflect-metadata';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { type Clock } from '@minsheng/domain';
import { type AppConfig, clockFor } from '@minsheng/infra';
import { assertRedisKeepsQueues } from './startup/redis-policy.check.js';
import { WorkerModule } from './worker.module.js';

/**
 * Builds the worker process (main.ts and tests). main.ts closes it on SIGTERM/SIGINT (`closeOnSignals`, with its
 * deadline); `Worker.close()` waits for the jobs in progress to finish before the process exits.
 */
export async function createWorker(
  config: AppConfig,
  options: { clock?: Clock } = {},
): Promise<INestApplicationContext> {
  await assertRedisKeepsQueues(config);
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, options.clock ?? clockFor(config)),
    {
      bufferLogs: true,
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  return app;
}
