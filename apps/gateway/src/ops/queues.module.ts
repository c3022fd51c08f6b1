import { Module } from '@nestjs/common';
import { registerObservedQueues } from '@minsheng/infra';
import { CONTRACT_QUEUES, QueueRegistry } from './queue-registry.js';

/** Producer handles on every queue of the contract, for the operator API and the metrics. */
@Module({
  imports: [registerObservedQueues(...CONTRACT_QUEUES)],
  providers: [QueueRegistry],
  exports: [QueueRegistry],
})
export class QueuesModule {}
