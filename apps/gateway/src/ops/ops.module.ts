import { Module } from '@nestjs/common';
import { AssumptionsController } from './assumptions.controller.js';
import { Assumptions } from './assumptions.js';
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
  AssumptionsController,
];
const services = [QueueOperations, StuckCases, CaseTraces, OfficeForecasts, OperatorAudit, Assumptions];
const mounts = [BullBoardMount];

/**
 * The operators' surface: queue monitoring and repair, stuck cases, case traces and replays, the forecast, the
 * assumptions in force, the dashboard.
 */
@Module({ imports: [QueuesModule], controllers, providers: [...services, ...mounts] })
export class OpsModule {}
