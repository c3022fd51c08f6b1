import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@minsheng/infra';
import { FailedJobRedriver } from './failed-job-redriver.js';

/** Automatic, bounded re-drives of command and timer jobs that failed while a dependency was away. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.caseCommands }, { name: QUEUES.clockTimers })],
  providers: [FailedJobRedriver],
})
export class RedriveModule {}
