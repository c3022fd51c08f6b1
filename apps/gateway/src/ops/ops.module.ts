import { Module } from '@nestjs/common';
import { BoardSessionController } from './board-session.controller.js';
import { BullBoardMount } from './bull-board.mount.js';
import { CaseReplayController } from './case-replay.controller.js';
import { CaseTraceController } from './case-trace.controller.js';
import { CaseTraces } from './case-trace.js';
import { ForecastController } from './forecast.controller.js';
import { OfficeForecasts } from './office-forecasts.js';
import { OperatorAudit } from './operator-audit.js';
import { QueueOperations } from './queue-operations.js';
import { QueuesController } from './queues.controller.js';
import { QueuesModule } from './queues.module.js';
import { StuckCasesController } from './stuck-cases.controller.js';
import { StuckCases } from './stuck-cases.js';

const controllers = [
  QueuesController,
  StuckCasesController,
  CaseTraceController,
  CaseReplayController,
  ForecastController,
  BoardSessionController,
];
const services = [QueueOperations, StuckCases, CaseTraces, OfficeForecasts, OperatorAudit];
const mounts = [BullBoardMount];

/** The operators' surface: queue monitoring and repair, stuck cases, case traces and replays, the forecast, the dashboard. */
@Module({ imports: [QueuesModule], controllers, providers: [...services, ...mounts] })
export class OpsModule {}
