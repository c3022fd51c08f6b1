import { Module } from '@nestjs/common';
import { PortalsModule } from '../portals/portals.module.js';
import { SatisfactionController, SatisfactionResultsController } from './satisfaction.controller.js';
import { SatisfactionSurvey } from './satisfaction.service.js';

/** The satisfaction survey: the portal's answer, the operators' results (docs/api.md "Satisfaction"). */
@Module({
  imports: [PortalsModule],
  controllers: [SatisfactionController, SatisfactionResultsController],
  providers: [SatisfactionSurvey],
})
export class SatisfactionModule {}
