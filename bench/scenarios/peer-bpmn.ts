import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { advance, startCase, type StoredCase } from '@minsheng/workflows';
import type { BenchContext, Scenario } from '../support/context.js';
import { HAPPY_PATH, STEPS_PER_CASE } from '../support/minimum-living-path.js';
import { log, Progress } from '../support/progress.js';
import { now, perSecond } from '../support/stats.js';
import { BPMN_SIGNALS, MINIMUM_LIVING_BPMN } from './minimum-living.bpmn.js';

interface ActivityApi {
  readonly id: string;
  readonly content: { readonly output?: unknown };
  readonly environment: { readonly output: Record<string, unknown> };
}

/**
 * The reference a user might pick instead: bpmn-engine (npm) running the same minimum-living procedure in
 * process, for the same number of cases as the workflow scenario, its state serialised after every step (as a
 * user would persist it). Beside it, minsheng's own machine in process (restore, transition, persist to JSON),
 * so the comparison separates the engine from the durable path around it.
 */
export const peerScenario: Scenario = {
  id: 'peer',
  title: 'Peer: bpmn-engine in process, same procedure',
  queues: 'none',
  async run(ctx: BenchContext) {
    const cases = ctx.sizes.workflowCases;
    const progress = new Progress('bpmn-engine cases', cases);
    let approved = 0;
    let stateBytes = 0;
    const started = now();
    for (let i = 0; i < cases; i += 1) {
      const listener = new EventEmitter();
      // Decisions are read from the user task's output, as a modeller would wire it.
      listener.on('activity.end', (api: ActivityApi) => {
        if (api.content.output !== undefined) api.environment.output[api.id] = api.content.output;
        if (api.id === 'approved') approved += 1;
      });
      const engine = new Engine({
        name: `case-${i}`,
        source: MINIMUM_LIVING_BPMN,
        services: { approved: (output?: { outcome?: string }) => output?.outcome === 'approve' },
      });
      const execution = await engine.execute({ listener });
      stateBytes = JSON.stringify(await engine.getState()).length;
      for (const signal of BPMN_SIGNALS) {
        execution.signal({ id: signal.id, ...signal.message });
        stateBytes = JSON.stringify(await engine.getState()).length;
      }
      progress.update(i + 1);
    }
    const bpmnElapsed = now() - started;
    if (approved !== cases) throw new Error(`bpmn-engine approved ${approved} of ${cases} cases`);
    const bpmnRate = perSecond(cases * STEPS_PER_CASE, bpmnElapsed);

    const xstateStarted = now();
    let xstateBytes = 0;
    for (let i = 0; i < cases; i += 1) {
      const first = startCase('minimum-living', { approvalDelegatedToStreet: false });
      let stored: StoredCase = { machineId: first.machineId, version: first.version, snapshot: first.snapshot };
      for (const event of HAPPY_PATH) {
        const next = advance(stored, event);
        const json = JSON.stringify(next.snapshot);
        xstateBytes = json.length;
        stored = { ...stored, snapshot: JSON.parse(json) as StoredCase['snapshot'] };
      }
      if (!advance(stored, HAPPY_PATH[0]!).closed) throw new Error('the XState case did not close');
    }
    const xstateRate = perSecond(cases * STEPS_PER_CASE, now() - xstateStarted);

    ctx.metrics.set('peer.bpmnStepsPerSecond', bpmnRate);
    ctx.metrics.set('peer.xstateStepsPerSecond', xstateRate);
    ctx.record({
      metric: `bpmn-engine steps/s in process (${cases} cases × ${STEPS_PER_CASE})`,
      value: bpmnRate,
      unit: 'steps/s',
    });
    ctx.record({ metric: 'bpmn-engine persisted state per case', value: stateBytes / 1024, unit: 'KiB' });
    ctx.record({
      metric: 'minsheng machine steps/s in process (restore, transition, JSON)',
      value: xstateRate,
      unit: 'steps/s',
    });
    ctx.record({ metric: 'minsheng persisted snapshot per case', value: xstateBytes / 1024, unit: 'KiB' });
    log(`bpmn-engine ${Math.round(bpmnRate)} steps/s; minsheng machine ${Math.round(xstateRate)} steps/s in process`);
  },
};
