import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Queue } from 'bullmq';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import {
  ARMED_BY_RELAY,
  type ClockChanged,
  OUTBOX_ROUTES,
  type OutboxKind,
  type OutboxRoute,
  type QueueName,
  ROUTED_KINDS,
} from '@minsheng/infra';
import { ClockTimerScheduler } from '../clocks/clock-timer.scheduler.js';

/** Rows per round: one `addBulk` per queue, one UPDATE. */
export const RELAY_BATCH = 500;
/** Idle poll interval: a committed command waits at most this long before it is on its queue. */
export const RELAY_IDLE_MS = 100;
/**
 * Poll interval while rows keep coming: a command committed during a busy period waits a few milliseconds, not a
 * tenth of a second (each step of a case passes the outbox, so this adds to every case's time), and a round still
 * gathers the rows of several steps into one SELECT, one addBulk and one UPDATE.
 */
export const RELAY_BUSY_MS = 20;
const RELAY_ERROR_PAUSE_MS = 1_000;

/** Kinds are code constants; checked anyway before they are written into the SQL text. */
const ROUTED_KIND_LIST = ROUTED_KINDS.filter((kind) => /^[a-z][a-z.-]*$/.test(kind)).map((kind) => `'${kind}'`);
/** The due rows of the routed kinds, claimed so that relays in other processes skip them. */
const CLAIM_DUE_ROWS = `
  SELECT id, kind, payload FROM outbox
  WHERE sent_at IS NULL AND available_at <= now() AND kind IN (${ROUTED_KIND_LIST.join(', ') || 'NULL'})
  ORDER BY id LIMIT ${RELAY_BATCH} FOR UPDATE SKIP LOCKED`;

interface OutboxRow {
  id: string;
  kind: OutboxKind;
  payload: never;
}

/**
 * Moves committed outbox rows to BullMQ (docs/architecture.md invariant 3), and arms the timers of the clocks that
 * `clock.changed` rows name (their delayed jobs are the BullMQ side of those rows). Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so any number of worker processes relay in parallel without sending a row twice at
 * the same time; a crash after `addBulk` and before the commit re-sends the rows, which deterministic job ids make
 * harmless (a clock is armed again from its row, under the same timer ids).
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
    private readonly clockTimers: ClockTimerScheduler,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.loop();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopPolling();
  }

  /**
   * Ends the background loop; `relayOnce()` still works. The time-travel test harness relays by hand, so that it
   * knows when every committed row is on its queue (test/support/time-travel.ts).
   */
  async stopPolling(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  /**
   * One round: relays up to RELAY_BATCH due rows and answers how many. Two round trips to PostgreSQL, not four:
   * BEGIN goes with the claiming SELECT and the UPDATE with COMMIT (the simple query protocol runs several
   * statements at once; it takes no parameters, so the kinds and ids, checked first, are written as literals).
   */
  async relayOnce(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      const [, claimed] = (await client.query(`BEGIN; ${CLAIM_DUE_ROWS}`)) as unknown as [
        unknown,
        { rows: OutboxRow[] },
      ];
      const rows = claimed.rows;
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const byQueue = new Map<QueueName, { name: string; data: unknown; opts: object }[]>();
      const changedClocks: ClockChanged[] = [];
      for (const row of rows) {
        if (row.kind === ARMED_BY_RELAY) {
          changedClocks.push(row.payload);
          continue;
        }
        const route = OUTBOX_ROUTES[row.kind] as OutboxRoute | undefined;
        if (route === undefined) continue;
        const jobs = byQueue.get(route.queue) ?? [];
        const delay = route.delayMs?.(row.payload);
        jobs.push({
          name: route.jobName,
          data: row.payload,
          opts: { jobId: route.jobId(row.payload, row.id), ...(delay !== undefined && delay > 0 ? { delay } : {}) },
        });
        byQueue.set(route.queue, jobs);
      }
      // Arming reads the clocks on another connection: this transaction holds only its outbox rows.
      await Promise.all([
        ...[...byQueue].map(([queue, jobs]) => this.queue(queue).addBulk(jobs)),
        this.clockTimers.armChanged(changedClocks),
      ]);
      const ids = rows.map((row) => row.id).filter((id) => /^\d+$/.test(id));
      await client.query(
        `UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id IN (${ids.join(', ')}); COMMIT`,
      );
      return rows.length;
    } catch (error) {
      // The rows stay unsent (and unlocked): the next round takes them again. A broken connection fails the
      // ROLLBACK too, and the pool drops that client.
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let pause = 0;
      try {
        const relayed = await this.relayOnce();
        if (relayed === 0) pause = RELAY_IDLE_MS;
        else if (relayed < RELAY_BATCH) pause = RELAY_BUSY_MS;
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
