import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobMetricsListener } from './job-metrics.listener.js';
import { WorkerMetricsServer } from './metrics-server.js';

const providers = [JobMetricsListener, WorkerMetricsServer];

/** Prometheus metrics of the worker process: job durations, reconciler re-drives, timer lateness. */
@Module({ imports: [DiscoveryModule], providers, exports: [WorkerMetricsServer] })
export class WorkerMetricsModule {}
