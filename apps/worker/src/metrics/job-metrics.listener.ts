import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { type Job } from 'bullmq';
import { jobDurationSeconds } from './worker-metrics.js';

function observe(job: Job | undefined, outcome: 'completed' | 'failed'): void {
  if (!job?.processedOn || !job.finishedOn) return;
  jobDurationSeconds.observe({ queue: job.queueName, outcome }, Math.max(0, job.finishedOn - job.processedOn) / 1000);
}

/**
 * Times every job of every processor in this process from the BullMQ worker's own events, so the features'
 * processors need not know about metrics.
 */
@Injectable()
export class JobMetricsListener implements OnApplicationBootstrap {
  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const host = wrapper.instance as unknown;
      if (!(host instanceof WorkerHost)) continue;
      host.worker.on('completed', (job: Job) => observe(job, 'completed'));
      host.worker.on('failed', (job: Job | undefined) => observe(job, 'failed'));
    }
  }
}
