import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { RedisHealthIndicator } from './redis.health.js';

const controllers = [HealthController];
const providers = [RedisHealthIndicator];

@Module({ imports: [TerminusModule.forRoot({ logger: false })], controllers, providers })
export class HealthModule {}
