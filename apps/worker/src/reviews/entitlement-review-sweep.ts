import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Queue } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { type Clock, monthOf, todayOn } from '@minsheng/domain';
import {
  assignReviewDates,
  completeGradualExits,
  InjectClock,
  lapseOverdueReviews,
  loadCalendarSet,
  openDueReviews,
  recountReviewLimits,
  PublishedParameters,
  QUEUES,
  transactionWithRetry,
} from '@minsheng/infra';
import { JobSchedulers } from '../schedulers/job-schedulers.js';

/** Asia/Shanghai: the business day of the whole system (docs/time.md). */
const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

/** Rows per transaction: a sweep killed midway loses at most one batch, and redoing it changes nothing. */
export const REVIEW_BATCH_SIZE = 500;
/** Reviews waiting for a calendar year examined per sweep (each is one count, no lock on a case). */
const RECOUNT_LIMIT = 5_000;

export interface SweepResult {
  readonly today: string;
  readonly scheduled: number;
  readonly opened: number;
  readonly recounted: number;
  readonly lapsed: number;
  readonly exitsEnded: number;
}

/**
 * The periodic review sweep (动态管理, docs/money.md "Periodic review"), daily at 01:00 Asia/Shanghai by a BullMQ
 * job scheduler, at the business day of the injected clock: (1) gives each active reviewed entitlement without a
 * date its next review date from the published rule, (2) opens a review at the street office for each whose date
 * has come, with the published answer limit counted in working days, (3) counts the limit of a review that waited
 * for a calendar year once that year is published, (4) suspends the entitlement of each review not decided within
 * its limit (`no-response-to-review`), (5) ends each gradual exit whose last month has passed.
 * Every step is idempotent (unique review per entitlement and date, status checks under the row locks), so a
 * sweep run twice, or by two workers, does each thing once.
 */
@Injectable()
export class EntitlementReviewSweep implements OnModuleInit {
  private readonly logger = new Logger(EntitlementReviewSweep.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.entitlementReviews) private readonly queue: Queue,
    @InjectClock() private readonly clock: Clock,
    private readonly parameters: PublishedParameters,
    private readonly schedulers: JobSchedulers,
  ) {}

  onModuleInit(): void {
    this.schedulers.register({
      queue: this.queue,
      id: 'entitlement-review-sweep',
      cron: { pattern: '0 1 * * *', tz: BUSINESS_TIME_ZONE },
      job: {
        name: 'sweep',
        data: () => ({ requestedAt: this.clock.now().toISOString() }),
        opts: { removeOnComplete: 100, removeOnFail: 100 },
      },
    });
  }

  async sweep(batchSize = REVIEW_BATCH_SIZE): Promise<SweepResult> {
    const now = this.clock.now();
    const today = todayOn(this.clock);
    // Review dates and limits come from the values published by now.
    const parameters = await this.parameters.reload();
    const calendars = await loadCalendarSet(this.dataSource);
    const drain = async (step: (tx: EntityManager) => Promise<number>): Promise<number> => {
      let total = 0;
      for (;;) {
        const done = await transactionWithRetry(this.dataSource, step);
        total += done;
        if (done < batchSize) return total;
      }
    };
    const scheduled = await drain((tx) => assignReviewDates(tx, { today, parameters, limit: batchSize }));
    const opened = await drain((tx) => openDueReviews(tx, { today, now, parameters, calendars, limit: batchSize }));
    // One pass: a review whose count still reaches an unpublished year stays without a date.
    const recounted = await transactionWithRetry(this.dataSource, (tx) =>
      recountReviewLimits(tx, { calendars, limit: RECOUNT_LIMIT }),
    );
    const lapsed = await drain((tx) => lapseOverdueReviews(tx, { now, today, limit: batchSize }));
    const exitsEnded = await drain((tx) => completeGradualExits(tx, { month: monthOf(today), now, limit: batchSize }));
    const result = { today, scheduled, opened, recounted, lapsed, exitsEnded };
    this.logger.log(result, 'entitlement review sweep');
    return result;
  }
}
