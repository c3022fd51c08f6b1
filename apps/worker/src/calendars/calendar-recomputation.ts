import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Clock } from '@minsheng/domain';
import {
  type CalendarRecomputation,
  countRecomputeCandidates,
  findCalendarRecomputation,
  finishCalendarRecomputation,
  InjectClock,
  loadCalendarSet,
  lockCalendarRecomputation,
  RECOMPUTE_BATCH_SIZE,
  recomputeClockBatch,
  recordRecomputationBatch,
  startCalendarRecomputation,
  transactionWithRetry,
} from '@minsheng/infra';
import { PublishedCalendarCache } from './published-calendar-cache.js';

export type RecomputationOutcome =
  | { readonly outcome: 'done'; readonly recomputation: CalendarRecomputation }
  | { readonly outcome: 'skipped'; readonly reason: 'already-done' | 'unknown'; readonly id: string };

/**
 * Recomputes the running clocks of one published calendar version, batch by batch (docs/calendars.md): each batch
 * is one transaction that locks the recomputation row, then at most `RECOMPUTE_BATCH_SIZE` clocks' cases, moves
 * their due dates and advances the row's cursor and counts, so no case is locked longer than one batch and a
 * killed run resumes after its last committed batch. A finished recomputation is skipped, and a second run over
 * the same clocks finds every clock already counted in the calendar and changes nothing.
 */
@Injectable()
export class CalendarRecomputationRunner {
  private readonly logger = new Logger(CalendarRecomputationRunner.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
    private readonly calendars: PublishedCalendarCache,
  ) {}

  async run(
    id: string,
    onBatch: (progress: CalendarRecomputation) => Promise<void> = async () => undefined,
    batchSize = RECOMPUTE_BATCH_SIZE,
  ): Promise<RecomputationOutcome> {
    const found = await findCalendarRecomputation(this.dataSource, id);
    if (found === null) return { outcome: 'skipped', reason: 'unknown', id };
    if (found.state === 'done') return { outcome: 'skipped', reason: 'already-done', id };
    const change = { region: found.region, year: found.year, version: found.version };
    const total = await countRecomputeCandidates(this.dataSource, change);
    let progress = await startCalendarRecomputation(this.dataSource, id, total, this.clock.now());
    // Clocks this process starts from now on count in the new version at once (other workers within the cache's
    // refresh interval; a clock started in between is found by this run, whose candidates are read per batch).
    await this.calendars.reload();
    const set = await loadCalendarSet(this.dataSource);
    for (;;) {
      const next = await transactionWithRetry(this.dataSource, async (tx) => {
        const row = await lockCalendarRecomputation(tx, id);
        if (row === null || row.state === 'done') return null;
        const batch = await recomputeClockBatch(
          tx,
          set,
          change,
          { afterClockId: row.afterClockId, limit: batchSize },
          row.requestedBy,
          row.requestId,
          this.clock.now(),
        );
        if (batch.lastClockId === null) return null;
        await recordRecomputationBatch(tx, id, batch);
        return batch;
      });
      if (next === null) break;
      progress = {
        ...progress,
        done: progress.done + next.examined,
        changed: progress.changed + next.recomputed.length,
        failed: progress.failed + next.failed.length,
        batches: progress.batches + 1,
        afterClockId: next.lastClockId,
      };
      await onBatch(progress);
    }
    const finished = await finishCalendarRecomputation(this.dataSource, id, this.clock.now());
    this.logger.log(
      { recomputation: id, calendar: `${finished.region}/${finished.year}`, ...finished },
      'calendar recomputation done',
    );
    return { outcome: 'done', recomputation: finished };
  }
}
