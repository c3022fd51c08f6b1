import { Module } from '@nestjs/common';
import { PiiModule, PublishedParametersModule, QUEUES, registerObservedQueues } from '@minsheng/infra';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { SchedulersModule } from '../schedulers/schedulers.module.js';
import { ClocksModule } from '../clocks/clocks.module.js';
import { CaseCommandProcessor } from './case-command.processor.js';
import { CaseCommandBatcher } from './case-command-batcher.js';
import { CaseEngine } from './case-engine.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { Reconciler } from './reconciler.js';

const processors = [CaseCommandProcessor];
const services = [CaseEngine, CaseCommandBatcher, OutboxRelay, Reconciler];

/**
 * The workflow engine: outbox relay → case-commands queue → case engine, and the reconciler behind them. The relay
 * arms changed clocks through the SLA module's scheduler.
 */
@Module({
  imports: [
    registerObservedQueues(QUEUES.caseCommands),
    CalendarsModule,
    PublishedParametersModule,
    PiiModule,
    ClocksModule,
    SchedulersModule,
  ],
  providers: [...processors, ...services],
  exports: [CaseEngine, CaseCommandBatcher],
})
export class EngineModule {}
