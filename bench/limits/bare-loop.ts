import { createHash, randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import pg from 'pg';
import { advance, type CaseEvent, type PersistedSnapshot } from '@minsheng/workflows';
import type { BenchContext, Scenario } from '../support/context.js';
import { happyPathSteps } from '../support/minimum-living-path.js';
import { log, Progress } from '../support/progress.js';
import { closeQueueConnection, queueConnection } from '../support/redis.js';
import { seedCases, seededUuidSql } from '../support/seed.js';
import { now, perSecond } from '../support/stats.js';

interface LoopJob {
  readonly caseId: string;
  readonly event: CaseEvent;
}

/**
 * The honest ceiling for one workflow step, with no framework: a BullMQ job locks the case row, restores the
 * minimum-living machine from its persisted snapshot, applies one XState `transition`, and commits the new
 * snapshot and one event row in one transaction (one CTE statement), on the real `cases` and `case_events`
 * tables. Cases are spread evenly over the seven steps of the happy path.
 */
export const bareLoopLimit: Scenario = {
  id: 'limit-bare-loop',
  title: 'Limit: bare loop (lock, XState transition, UPDATE + event INSERT)',
  queues: 'any',
  async run(ctx: BenchContext) {
    const steps = happyPathSteps();
    const total = ctx.sizes.bareLoopJobs;
    const tag = 'bare';
    await seedCases(ctx.db, {
      tag,
      count: total,
      states: steps.map((s) => ({ snapshot: s.before, status: s.status, currentSteps: [] })),
      progressLabel: 'bare loop: seeding cases',
    });
    const { rows } = await ctx.db.query<{ id: string; n: number }>(
      `SELECT ${seededUuidSql(`'c-${tag}-' || g`)} AS id, g AS n FROM generate_series(1, $1::int) g`,
      [total],
    );
    const jobs = rows.map((r) => ({
      name: 'apply',
      data: { caseId: r.id, event: steps[(r.n - 1) % steps.length]!.event } satisfies LoopJob,
      opts: { jobId: `bare-${r.n}`, removeOnComplete: true },
    }));
    const connection = queueConnection(ctx);
    const queue = new Queue('bench-bare-loop', { connection, prefix: ctx.config.redis.queuePrefix });
    for (let i = 0; i < jobs.length; i += 1_000) await queue.addBulk(jobs.slice(i, i + 1_000));

    const pool = new pg.Pool({ connectionString: ctx.config.database.url, max: ctx.config.worker.concurrency });
    const progress = new Progress('bare loop steps', total);
    let processed = 0;
    let failed = 0;
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const started = now();
    const worker = new Worker<LoopJob>(
      'bench-bare-loop',
      async (job: Job<LoopJob>) => {
        try {
          await applyOneStep(pool, job.data);
        } catch (error) {
          failed += 1;
          throw error;
        } finally {
          processed += 1;
          progress.update(processed);
          if (processed === total) finish();
        }
      },
      {
        connection,
        prefix: ctx.config.redis.queuePrefix,
        concurrency: ctx.config.worker.concurrency,
        // One attempt: a failure is a bench bug and must show, not be retried away.
      },
    );
    await finished;
    const elapsed = now() - started;
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await pool.end();
    await closeQueueConnection(connection);
    const rate = perSecond(total - failed, elapsed);
    ctx.metrics.set('bareLoop.stepsPerSecond', rate);
    ctx.record({
      metric: `steps/s (1 process, concurrency ${ctx.config.worker.concurrency})`,
      value: rate,
      unit: 'steps/s',
      note: failed ? `${failed} jobs failed` : undefined,
    });
    log(`bare loop: ${Math.round(rate)} steps/s${failed ? `, ${failed} failed` : ''}`);
  },
};

async function applyOneStep(pool: pg.Pool, job: LoopJob): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{
      machine_id: string;
      machine_version: number;
      snapshot: PersistedSnapshot;
      version: number;
      last_event_seq: number;
      last_event_hash: string | null;
    }>(
      `SELECT machine_id, machine_version, snapshot, version, last_event_seq, last_event_hash
       FROM cases WHERE id = $1 FOR UPDATE`,
      [job.caseId],
    );
    const row = rows[0];
    if (!row) throw new Error(`case ${job.caseId} not found`);
    const next = advance(
      { machineId: row.machine_id, version: row.machine_version, snapshot: row.snapshot },
      job.event,
    );
    if (!next.changed) throw new Error(`${job.event.type} refused for case ${job.caseId}`);
    const seq = row.last_event_seq + 1;
    const payload = JSON.stringify(job.event);
    const hash = createHash('sha256')
      .update(`${row.last_event_hash ?? ''}|${job.caseId}|${seq}|${payload}`)
      .digest('hex');
    await client.query(
      `WITH c AS (
         UPDATE cases SET snapshot = $2, status = $3, current_steps = $4, version = version + 1,
                          last_event_seq = $5, last_event_hash = $6, updated_at = now()
         WHERE id = $1 AND version = $7)
       INSERT INTO case_events (case_id, seq, id, type, actor, payload, prev_hash, hash)
       VALUES ($1, $5, $8, $9, $10, $11, $12, $6)`,
      [
        job.caseId,
        JSON.stringify(next.snapshot),
        next.status,
        next.currentSteps,
        seq,
        hash,
        row.version,
        randomUUID(),
        job.event.type,
        'actor' in job.event && typeof job.event.actor === 'string' ? job.event.actor : 'system',
        payload,
        row.last_event_hash,
      ],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
