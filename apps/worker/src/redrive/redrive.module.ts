import { Module } from '@nestjs/common';
import { QUEUES, registerObservedQueues } from '@minsheng/infra';
import { FailedJobRedriver } from './failed-job-redriver.js';

/** Automatic, bounded re-drives of command and timer jobs that failed while a dependency was away. */
@Module({
  imports: [registerObservedQueues(QUEUES.caseCommands, QUEUES.clockTimers)],
  providers: [FailedJobRedriver],
})
export class RedriveModule {}
