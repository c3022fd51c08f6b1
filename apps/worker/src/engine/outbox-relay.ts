import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { OutboxKind, QueueName } from '@minsheng/infra';
import { OUTBOX_ROUTES, ROUTED_KINDS, type OutboxRoute } from './outbox-routes.js';

/** Rows per round: one `addBulk` per queue, one UPDATE. */
export const RELAY_BATCH = 500;
/** Idle poll interval: a committed command waits at most this long before it is on its queue. */
export const RELAY_IDLE_MS = 100;
const RELAY_ERROR_PAUSE_MS = 1_000;

interface OutboxRow {
  id: string;
  kind: OutboxKind;
  payload: never;
}

/**
 * Moves committed outbox rows to BullMQ (design.md invariant 3). Rows are claimed with `FOR UPDATE SKIP LOCKED`,
 * so any number of worker processes relay in parallel without sending a row twice at the same time; a crash
 * after `addBulk` and before the commit re-sends the rows, which deterministic job ids make harmless.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.loop();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  /** One round: relays up to RELAY_BATCH due rows and answers how many. */
  async relayOnce(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT id, kind, payload FROM outbox
         WHERE sent_at IS NULL AND available_at <= now() AND kind = ANY($1)
         ORDER BY id LIMIT ${RELAY_BATCH} FOR UPDATE SKIP LOCKED`,
        [ROUTED_KINDS],
      )) as OutboxRow[];
      if (rows.length === 0) return 0;
      const byQueue = new Map<QueueName, { name: string; data: unknown; opts: object }[]>();
      for (const row of rows) {
        const route = OUTBOX_ROUTES[row.kind] as OutboxRoute | undefined;
        if (route === undefined) continue;
        const jobs = byQueue.get(route.queue) ?? [];
        jobs.push({
          name: route.jobName,
          data: row.payload,
          opts: { ...route.options, jobId: route.jobId(row.payload, row.id) },
        });
        byQueue.set(route.queue, jobs);
      }
      for (const [queue, jobs] of byQueue) await this.queue(queue).addBulk(jobs);
      await manager.query(`UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [
        rows.map((row) => row.id),
      ]);
      return rows.length;
    });
  }

  private queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let pause = 0;
      try {
        const relayed = await this.relayOnce();
        if (relayed < RELAY_BATCH) pause = RELAY_IDLE_MS;
      } catch (error) {
        // PostgreSQL or Redis away: the rows stay unsent; try again a little later.
        this.logger.warn({ err: error }, 'outbox relay round failed; retrying');
        pause = RELAY_ERROR_PAUSE_MS;
      }
      if (pause > 0 && !this.stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}
