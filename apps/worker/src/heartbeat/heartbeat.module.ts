import { Module } from '@nestjs/common';
import { QUEUES, registerObservedQueues } from '@minsheng/infra';
import { HeartbeatProcessor } from './heartbeat.processor.js';
import { HeartbeatScheduler } from './heartbeat.scheduler.js';
import { SchedulersModule } from '../schedulers/schedulers.module.js';

const processors = [HeartbeatProcessor];
const schedulers = [HeartbeatScheduler];

@Module({
  imports: [registerObservedQueues(QUEUES.heartbeat), SchedulersModule],
  providers: [...processors, ...schedulers],
})
export class HeartbeatModule {}
