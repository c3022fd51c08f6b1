import { type INestApplicationContext } from '@nestjs/common';
import { type Job, Queue } from 'bullmq';
import { OutboxRelay } from '../../apps/worker/src/outbox/outbox-relay.js';
import { type ManualClock } from '../../libs/domain/src/index.js';
import { type ClockTimer, QUEUES } from '../../libs/infra/src/index.js';
import { finishedJob, JobNotFinishedError } from './finished-job.js';
import { eventually } from './given.js';
import { type TestEnvironment } from './test-environment.js';

/** A timer the harness fired: its kind, its clock and the business instant it was for. */
export interface FiredTimer {
  readonly kind: string;
  readonly clockId: string;
  readonly at: string;
}

/** Rounds without the system settling before the harness gives up (each round waits on real work). */
const MAX_ROUNDS = 500;
const JOB_WAIT_MS = 30_000;
const BUSY_STATES = ['waiting', 'active', 'prioritized', 'waiting-children'] as const;

/**
 * Business time for a test, advanced on demand through the real path (docs/time.md): the worker runs on a
 * `ManualClock`; `advanceTo(T)` moves it to each timer's instant in turn, promotes the delayed BullMQ jobs due
 * then (earliest first, as they would fire), and after each step relays the outbox by hand and waits for every
 * command and timer job to finish (read from the jobs, finished-job.ts). Nothing is written to the database by the harness:
 * what moves a case is the worker's own timers, relay and engine.
 */
export class TimeTravel {
  private constructor(
    readonly clock: ManualClock,
    private readonly relay: OutboxRelay,
    private readonly commands: Queue,
    private readonly timers: Queue,
    private readonly recomputations: Queue,
  ) {}

  /** Takes over the worker's outbox relay (its polling loop stops). */
  static async start(env: TestEnvironment, worker: INestApplicationContext, clock: ManualClock): Promise<TimeTravel> {
    const relay = worker.get(OutboxRelay);
    await relay.stopPolling();
    const opts = { connection: env.queueConnection, prefix: env.config.redis.queuePrefix };
    return new TimeTravel(
      clock,
      relay,
      new Queue(QUEUES.caseCommands, opts),
      new Queue(QUEUES.clockTimers, opts),
      new Queue(QUEUES.calendarRecomputations, opts),
    );
  }

  async close(): Promise<void> {
    await this.commands.close();
    await this.timers.close();
    await this.recomputations.close();
  }

  /**
   * Moves business time to `instant`, firing every timer due by then in the order of their instants (the clock
   * stands at each timer's instant while it fires), and answers the timers fired.
   */
  async advanceTo(instant: Date | string): Promise<FiredTimer[]> {
    const target = new Date(instant);
    const fired: FiredTimer[] = [];
    await this.settle();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const due = await this.dueTimers(target);
      if (due.length === 0) {
        this.clock.advanceTo(new Date(Math.max(target.getTime(), this.clock.now().getTime())));
        await this.settle();
        return fired;
      }
      const at = new Date(due[0]!.data.at!);
      if (at > this.clock.now()) this.clock.advanceTo(at);
      // Every timer of this instant fires together, as BullMQ would promote them; later ones wait their turn.
      const batch = due.filter((job) => job.data.at === due[0]!.data.at);
      for (const job of batch) {
        await job.promote();
        fired.push({ kind: job.name, clockId: job.data.clockId, at: job.data.at! });
      }
      await this.settle();
    }
    throw new Error(`timers kept coming due before ${target.toISOString()}`);
  }

  /** Moves business time forward by `ms` (see `advanceTo`). */
  advanceBy(ms: number): Promise<FiredTimer[]> {
    return this.advanceTo(new Date(this.clock.now().getTime() + ms));
  }

  /**
   * Runs the system until nothing is left to do at the current instant: every committed outbox row relayed and
   * every command, timer or calendar-recomputation job it led to finished (a failed job counts as finished; the test asserts outcomes).
   */
  async settle(): Promise<void> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let moved = 0;
      for (let relayed = await this.relay.relayOnce(); relayed > 0; relayed = await this.relay.relayOnce()) {
        moved += relayed;
      }
      const busy = [
        ...(await this.commands.getJobs([...BUSY_STATES])),
        ...(await this.timers.getJobs([...BUSY_STATES])),
        ...(await this.recomputations.getJobs([...BUSY_STATES])),
      ];
      const queues = new Map([this.commands, this.timers, this.recomputations].map((q) => [q.name, q]));
      for (const job of busy) {
        await finishedJob(queues.get(job.queueName)!, job.id!, JOB_WAIT_MS).catch((error: unknown) => {
          // A job that failed has finished too; a wait that timed out has not.
          if (error instanceof JobNotFinishedError) throw error;
        });
      }
      moved += busy.length;
      if (moved === 0) return;
    }
    throw new Error('the system did not settle');
  }

  /** Delayed timer jobs whose business instant is at or before `until`, earliest first. */
  private async dueTimers(until: Date): Promise<Job<ClockTimer>[]> {
    const delayed = (await this.timers.getJobs(['delayed'])) as Job<ClockTimer>[];
    return delayed
      .filter((job) => job.data.at !== undefined && Date.parse(job.data.at) <= until.getTime())
      .sort((a, b) => Date.parse(a.data.at!) - Date.parse(b.data.at!));
  }
}

/**
 * Fires one armed timer of a clock now, as if its instant had come: its delayed BullMQ job is promoted and the
 * worker does the rest (reads the clock row, records, sends the machine its command). For tests whose worker runs
 * in another process or on a clock that cannot jump (the `TimeTravel` harness needs a `ManualClock`). Waits until
 * the timer is armed (the relay and the arm job run first); answers the job's business instant.
 */
export async function promoteClockTimer(
  env: TestEnvironment,
  clockId: string,
  kind: 'reminder' | 'due' | 'escalation',
): Promise<string> {
  const timers = new Queue(QUEUES.clockTimers, {
    connection: env.queueConnection,
    prefix: env.config.redis.queuePrefix,
  });
  try {
    const job = await eventually(async () =>
      ((await timers.getJobs(['delayed'])) as Job<ClockTimer>[]).find(
        (candidate) => candidate.name === kind && candidate.data.clockId === clockId,
      ),
    );
    await job.promote();
    return job.data.at!;
  } finally {
    await timers.close();
  }
}

/** The id of a case's clock, once the engine has started it. */
export async function clockIdOf(env: TestEnvironment, caseId: string, clock: string): Promise<string> {
  return eventually(async () => {
    const { rows } = await env.db.query<{ id: string }>(
      `SELECT id FROM case_clocks WHERE case_id = $1 AND clock = $2`,
      [caseId, clock],
    );
    return rows[0]?.id;
  });
}
