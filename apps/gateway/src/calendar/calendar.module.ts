import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller.js';
import { CalendarService } from './calendar-service.js';

const controllers = [CalendarController];
const providers = [CalendarService];

@Module({ controllers, providers })
export class CalendarModule {}
