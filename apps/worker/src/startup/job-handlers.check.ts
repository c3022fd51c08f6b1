import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { JOB_NAMES, type QueueName } from '@minsheng/infra';
import { ContractWorkerHost } from '../queues/contract-worker-host.js';

/** What is wrong with the processors of a process, measured against the queue contract; empty when all is well. */
export function jobHandlerProblems(hosts: readonly WorkerHost[]): string[] {
  const problems: string[] = [];
  const handlers = new Map<string, string[]>();
  for (const host of hosts) {
    if (!(host instanceof ContractWorkerHost)) {
      problems.push(`${host.constructor.name} must extend ContractWorkerHost (one handler per job name)`);
      continue;
    }
    for (const name of host.handledJobNames()) {
      const key = `${host.worker.name}/${name}`;
      handlers.set(key, [...(handlers.get(key) ?? []), host.constructor.name]);
    }
  }
  const expected = new Set<string>();
  for (const queue of Object.keys(JOB_NAMES) as QueueName[]) {
    for (const name of JOB_NAMES[queue]) {
      const key = `${queue}/${name}`;
      expected.add(key);
      const count = handlers.get(key)?.length ?? 0;
      if (count !== 1) problems.push(`job ${key} has ${count} handlers in this worker; expected exactly 1`);
    }
  }
  for (const key of handlers.keys()) {
    if (!expected.has(key)) problems.push(`job ${key} has a handler but is not in the queue contract`);
  }
  return problems;
}

/** The BullMQ processors registered in a Nest application. */
export function workerHostsOf(discovery: DiscoveryService): WorkerHost[] {
  return discovery
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
}

/**
 * Every job name of every queue of the contract has exactly one handler in this process, and every processor
 * observes its worker's errors (`ContractWorkerHost` extends `ObservedWorkerHost`): a job without a handler would
 * fail or wait forever, two handlers would split its jobs.
 */
@Injectable()
export class JobHandlersCheck implements OnApplicationBootstrap {
  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    const problems = jobHandlerProblems(workerHostsOf(this.discovery));
    if (problems.length > 0) throw new Error(`queue contract: ${problems.join('; ')}`);
  }
}
