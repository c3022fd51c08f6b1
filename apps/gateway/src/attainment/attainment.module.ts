import { Module } from '@nestjs/common';
import { AttainmentController } from './attainment.controller.js';
import { AttainmentReport } from './attainment-report.js';

/** The public attainment report (docs/api.md "Attainment report"). */
@Module({ controllers: [AttainmentController], providers: [AttainmentReport] })
export class AttainmentModule {}
