import { Module } from '@nestjs/common';
import { PortalsModule } from '../portals/portals.module.js';
import { ApplicationsController } from './applications.controller.js';
import { SubmitApplication } from './submit-application.js';

const controllers = [ApplicationsController];
const providers = [SubmitApplication];

/** `POST /v1/applications`: portal intake. */
@Module({ imports: [PortalsModule], controllers, providers })
export class ApplicationsModule {}
