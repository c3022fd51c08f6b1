import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig, QUEUES } from '@minsheng/infra';
import { JobSchedulers } from '../schedulers/job-schedulers.js';

/** One job scheduler for the whole fleet, kept alive in Redis by `JobSchedulers`. */
@Injectable()
export class HeartbeatScheduler implements OnModuleInit {
  constructor(
    @InjectQueue(QUEUES.heartbeat) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedulers: JobSchedulers,
  ) {}

  onModuleInit(): void {
    this.schedulers.register({
      queue: this.queue,
      id: 'heartbeat',
      every: this.config.worker.heartbeatEveryMs,
      job: {
        name: 'beat',
        // eslint-disable-next-line no-restricted-syntax -- heartbeats measure the processes, in wall time
        data: () => ({ requestedAt: new Date().toISOString() }),
        opts: { removeOnComplete: 100, removeOnFail: 100 },
      },
    });
  }
}
