import { Module } from '@nestjs/common';
import { PublishedParametersModule } from '@minsheng/infra';
import { PortalsModule } from '../portals/portals.module.js';
import { ApplicationsController } from './applications.controller.js';
import { SubmitApplication } from './submit-application.js';
import { TrackingNumbers } from './tracking-numbers.js';

const controllers = [ApplicationsController];
const providers = [SubmitApplication, TrackingNumbers];

/** `POST /v1/applications`: portal intake. */
@Module({ imports: [PortalsModule, PublishedParametersModule], controllers, providers })
export class ApplicationsModule {}
