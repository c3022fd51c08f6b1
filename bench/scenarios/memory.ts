import type { BenchContext, Scenario } from '../support/context.js';
import { peakRss } from '../support/processes.js';
import { usedMemory } from '../support/redis.js';

const MiB = 2 ** 20;

/**
 * Peak RSS (VmHWM) of the gateway and worker processes over the whole run, and Redis's used memory at the start
 * and now, before the bench removes its queue prefix.
 */
export const memoryScenario: Scenario = {
  id: 'memory',
  title: 'Memory: peak RSS and Redis used memory',
  queues: 'any',
  async run(ctx: BenchContext) {
    for (const role of ['gateway', 'worker'] as const) {
      const live = ctx.processes.pids(role).map((pid) => peakRss(pid) ?? 0);
      const peak = Math.max(ctx.processes.peakRss[role], ...live);
      ctx.record({
        metric: `${role} peak RSS (VmHWM, largest process)`,
        value: peak > 0 ? peak / MiB : null,
        unit: 'MiB',
        note: peak > 0 ? undefined : `no ${role} process ran`,
      });
    }
    // Without Redis the queues are tables of the bench database; there is no Redis memory to read.
    if (ctx.backend !== 'redis' || ctx.redis === undefined) return;
    const before = ctx.metrics.get('redis.usedBefore') ?? Number.NaN;
    const after = await usedMemory(ctx.redis);
    ctx.record({ metric: 'Redis used_memory before the run', value: before / MiB, unit: 'MiB' });
    ctx.record({
      metric: 'Redis used_memory after the run',
      value: after / MiB,
      unit: 'MiB',
      note: 'before the bench deletes its queue prefix',
    });
  },
};
