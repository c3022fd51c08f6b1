import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { CONTRACT_QUEUES, QueueRegistry } from './queue-registry.js';

/** Producer handles on every queue of the contract, for the operator API and the metrics. */
@Module({
  imports: [BullModule.registerQueue(...CONTRACT_QUEUES.map((name) => ({ name })))],
  providers: [QueueRegistry],
  exports: [QueueRegistry],
})
export class QueuesModule {}
