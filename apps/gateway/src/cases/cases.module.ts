import { Module } from '@nestjs/common';
import { PortalsModule } from '../portals/portals.module.js';
import { CaseCommands } from './case-commands.js';
import { CaseReads } from './case-reads.js';
import { CasesController } from './cases.controller.js';

const controllers = [CasesController];
const providers = [CaseReads, CaseCommands];

/** The portal-facing case API: reads, withdrawal and supplements. */
@Module({ imports: [PortalsModule], controllers, providers })
export class CasesModule {}
