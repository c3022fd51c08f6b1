import { Module } from '@nestjs/common';
import { PortalsModule } from '../portals/portals.module.js';
import { ApplicationsController } from './applications.controller.js';
import { SubmitApplication } from './submit-application.js';
import { TrackingNumbers } from './tracking-numbers.js';

const controllers = [ApplicationsController];
const providers = [SubmitApplication, TrackingNumbers];

/** `POST /v1/applications`: portal intake. */
@Module({ imports: [PortalsModule], controllers, providers })
export class ApplicationsModule {}
