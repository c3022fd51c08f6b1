import { Module } from '@nestjs/common';
import { PiiModule } from '@minsheng/infra';
import { MetricsModule } from '../metrics/metrics.module.js';
import { TaskCommands } from './task-commands.js';
import { TaskReads } from './task-reads.js';
import { TasksController } from './tasks.controller.js';

const controllers = [TasksController];
const providers = [TaskReads, TaskCommands];

/** Reviewer tasks: inbox, detail, claim, release, decision. */
@Module({ imports: [PiiModule, MetricsModule], controllers, providers, exports: providers })
export class TasksModule {}
