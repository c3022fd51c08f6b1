import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { type DynamicModule, Logger, type Provider } from '@nestjs/common';
import { type Queue } from 'bullmq';
import { type QueueName } from './queue-contract.js';

const logger = new Logger('Queue');

/**
 * BullMQ forwards every error of a queue's connection to the queue's own `error` event; an EventEmitter that emits
 * `error` with no listener throws, so an unobserved queue turns a dropped connection into a process crash. On the
 * PostgreSQL backend that is what a database restart does to every pooled client (docs/operations.md, "Faults and
 * recovery"). Every producer handle therefore gets a listener that logs, and the pool reconnects on its next query.
 */
export function observeQueueErrors<
  T extends { readonly name: string; on(event: 'error', listener: (error: Error) => void): unknown },
>(queue: T): T {
  queue.on('error', (error) => logger.warn({ queue: queue.name, err: error }, 'queue connection error'));
  return queue;
}

/** `BullModule.registerQueue` for the named queues, each handle with an `error` listener (observeQueueErrors). */
export function registerObservedQueues(...names: readonly QueueName[]): DynamicModule {
  const registered = BullModule.registerQueue(...names.map((name) => ({ name })));
  const observer: Provider = {
    provide: Symbol('observed queues'),
    inject: names.map((name) => getQueueToken(name)),
    useFactory: (...queues: Queue[]) => queues.map(observeQueueErrors),
  };
  return { ...registered, providers: [...(registered.providers ?? []), observer] };
}
