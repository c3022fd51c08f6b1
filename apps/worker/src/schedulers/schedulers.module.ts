import { Module } from '@nestjs/common';
import { JobSchedulers } from './job-schedulers.js';

/** The worker's job schedulers, kept alive in Redis (one instance shared by every feature module). */
@Module({ providers: [JobSchedulers], exports: [JobSchedulers] })
export class SchedulersModule {}
