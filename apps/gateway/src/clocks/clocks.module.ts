import { Module } from '@nestjs/common';
import { CaseClocks } from './case-clocks.js';
import { SlaBoard } from './sla-board.js';
import { SlaHistory } from './sla-history.js';
import { SlaController } from './sla.controller.js';

const controllers = [SlaController];
const providers = [CaseClocks, SlaBoard, SlaHistory];

@Module({ controllers, providers })
export class ClocksModule {}
