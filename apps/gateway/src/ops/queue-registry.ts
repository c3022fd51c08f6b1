import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type Queue } from 'bullmq';
import { DomainError } from '@minsheng/domain';
import { type QueueName, QUEUES } from '@minsheng/infra';

/** Every queue of the contract, in contract order. */
export const CONTRACT_QUEUES: readonly QueueName[] = Object.values(QUEUES);

/** The gateway's producer handle on each queue of the contract, looked up by the name an operator types. */
@Injectable()
export class QueueRegistry {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly moduleRef: ModuleRef) {}

  /** The queue called `name`; `QUEUE.NOT_FOUND` (404) for anything outside the contract. */
  get(name: string): Queue {
    if (!(CONTRACT_QUEUES as readonly string[]).includes(name)) {
      throw new DomainError('QUEUE.NOT_FOUND', `no queue named ${name}`, { field: 'name' });
    }
    // Looked up on first use: the queue providers are created after this registry's constructor runs.
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      this.queues.set(name, queue);
    }
    return queue;
  }

  all(): [QueueName, Queue][] {
    return CONTRACT_QUEUES.map((name) => [name, this.get(name)]);
  }
}
