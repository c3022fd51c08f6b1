import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { JOB_NAMES, type QueueName } from '@minsheng/infra';
import { ObservedWorkerHost } from '../queues/observed-worker-host.js';

/**
 * Every queue of the contract has exactly one processor in this process, and every processor observes its
 * worker's errors: a queue without a handler would fill silently, two handlers would split its jobs.
 */
@Injectable()
export class JobHandlersCheck implements OnApplicationBootstrap {
  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    const hosts = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
    const byQueue = new Map<string, number>();
    for (const host of hosts) {
      if (!(host instanceof ObservedWorkerHost)) {
        throw new Error(`${host.constructor.name} must extend ObservedWorkerHost (error listener)`);
      }
      const name = host.worker.name;
      byQueue.set(name, (byQueue.get(name) ?? 0) + 1);
    }
    for (const queue of Object.keys(JOB_NAMES) as QueueName[]) {
      const count = byQueue.get(queue) ?? 0;
      if (count !== 1) throw new Error(`queue ${queue} has ${count} processors in this worker; expected exactly 1`);
    }
  }
}
