import { describe, expect, it } from '@jest/globals';
import { applied, compareWithStored, replayCase, type LoggedEvent } from './case-replay.js';
import { advance, startCase } from './procedure-registry.js';
import type { CaseEvent } from './events.js';

/** What the engine logs for an applied step: the event, the status it moved to, and on the first one the start. */
function step(seq: number, event: CaseEvent, to: string, extra: Record<string, unknown> = {}): LoggedEvent {
  return { seq, type: event.type, payload: { event, from: 'x', to, state: null, ...extra } };
}

describe('case replay', () => {
  const input = { approvalDelegatedToStreet: false };
  const started = startCase('minimum-living', input);
  const submitted = advance(started, { type: 'SUBMITTED' });
  const decision: CaseEvent = { type: 'DECIDED', step: 'acceptance', outcome: 'approve', actor: 'staff:a' };
  const accepted = advance({ ...started, snapshot: submitted.snapshot }, decision);
  const start = { machineId: started.machineId, version: started.version, input };
  const log: LoggedEvent[] = [
    { seq: 1, type: 'APPLICATION_SUBMITTED', payload: { itemCode: 'BPS-064' } },
    step(2, { type: 'SUBMITTED' }, submitted.status, { start }),
    { seq: 3, type: 'TASK_OPENED', payload: { step: 'acceptance' } },
    { seq: 4, type: 'COMMAND_REFUSED', payload: { event: { type: 'WITHDRAWN' }, status: 'in-review' } },
    step(5, decision, accepted.status),
  ];

  it('applies only the events an engine step applied, and rebuilds the same machine', () => {
    expect(log.map((e) => applied(e)?.type)).toEqual([undefined, 'SUBMITTED', undefined, undefined, 'DECIDED']);
    const replay = replayCase(log);
    if (!replay.ok) throw new Error(replay.reason);
    expect(replay.replayed).toMatchObject({ status: accepted.status, currentSteps: accepted.currentSteps, applied: 2 });
    expect(
      compareWithStored(replay.replayed, {
        machineId: started.machineId,
        version: started.version,
        snapshot: JSON.parse(JSON.stringify(accepted.snapshot)),
        status: accepted.status,
        closed: false,
        currentSteps: accepted.currentSteps,
        openTaskSteps: accepted.currentSteps,
      }),
    ).toEqual([]);
  });

  it('names each field that differs from the stored case', () => {
    const replay = replayCase(log);
    if (!replay.ok) throw new Error(replay.reason);
    const divergences = compareWithStored(replay.replayed, {
      machineId: started.machineId,
      version: started.version,
      snapshot: submitted.snapshot,
      status: 'approved',
      closed: false,
      currentSteps: accepted.currentSteps,
      openTaskSteps: [],
    });
    expect(divergences.map((d) => d.field)).toEqual(['snapshot', 'status', 'openTasks']);
  });

  it('cannot replay a log that does not record how the case started, nor one the machine refuses', () => {
    expect(replayCase([step(2, { type: 'SUBMITTED' }, 'in-review')])).toEqual({
      ok: false,
      atSeq: 2,
      reason: 'the first applied event does not record how the case started',
    });
    const refused = replayCase([...log, step(6, { ...decision, step: 'no-such-step' }, 'in-review')]);
    expect(refused).toMatchObject({ ok: false, atSeq: 6 });
    expect(replayCase(log.slice(0, 1))).toMatchObject({ ok: false, atSeq: null });
  });
});
