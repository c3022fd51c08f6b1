import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig, QUEUES } from '@minsheng/infra';

/** One job scheduler for the whole fleet (upsert is idempotent, so every worker may call it). */
@Injectable()
export class HeartbeatScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.heartbeat) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'heartbeat',
      { every: this.config.worker.heartbeatEveryMs },
      {
        name: 'beat',
        // eslint-disable-next-line no-restricted-syntax -- heartbeats measure the processes, in wall time
        data: { requestedAt: new Date().toISOString() },
        opts: { removeOnComplete: 100, removeOnFail: 100 },
      },
    );
  }
}
