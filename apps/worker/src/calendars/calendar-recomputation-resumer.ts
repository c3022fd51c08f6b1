import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { OUTBOX_ROUTES, QUEUES, unfinishedCalendarRecomputations } from '@minsheng/infra';
import { JobSchedulers } from '../schedulers/job-schedulers.js';

/**
 * PostgreSQL knows which recomputations are unfinished; Redis may have lost their jobs (docs/architecture.md
 * invariant 1). At worker start and when Redis lost its job schedulers, each unfinished recomputation is queued
 * again under its own job id: a job still in Redis is left as it is (BullMQ ignores a known id), a lost one
 * resumes from the row's cursor.
 */
@Injectable()
export class CalendarRecomputationResumer implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(CalendarRecomputationResumer.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.calendarRecomputations) private readonly queue: Queue,
    private readonly schedulers: JobSchedulers,
  ) {}

  onModuleInit(): void {
    this.schedulers.onRedisLoss(async () => {
      const queued = await this.resume();
      if (queued > 0) this.logger.warn({ recomputations: queued }, 'calendar recomputations queued again');
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.resume();
  }

  /** Queues every unfinished recomputation under its deterministic job id; answers how many were unfinished. */
  async resume(): Promise<number> {
    const route = OUTBOX_ROUTES['calendar.recompute']!;
    const unfinished = await unfinishedCalendarRecomputations(this.dataSource);
    await this.queue.addBulk(
      unfinished.map((r) => {
        const payload = { recomputationId: r.id, region: r.region, year: r.year, version: r.version };
        return { name: route.jobName, data: payload, opts: { jobId: route.jobId(payload, '') } };
      }),
    );
    return unfinished.length;
  }
}
