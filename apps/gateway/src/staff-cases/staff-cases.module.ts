import { Module } from '@nestjs/common';
import { StaffCasesController } from './staff-cases.controller.js';
import { StaffCases } from './staff-cases.service.js';

const controllers = [StaffCasesController];
const providers = [StaffCases];

/** Staff reads of cases (detail, events, chain verification) and staff commands (objection, extension). */
@Module({ controllers, providers })
export class StaffCasesModule {}
