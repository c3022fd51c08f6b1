import type { Intent } from '@minsheng/workflows';
import { portalEventsOf } from './portal-events.js';

const types = (events: ReturnType<typeof portalEventsOf>) => events.map((event) => event.type);

describe('portal events of a step (docs/webhooks.md "Events")', () => {
  it('accepts on the acceptance decision, or on receipt when the procedure has no acceptance step', () => {
    const openAcceptance = { type: 'openTask', params: { step: 'acceptance' } } as unknown as Intent;
    expect(types(portalEventsOf({ type: 'SUBMITTED' }, [openAcceptance], true, 'in-review'))).toEqual([]);
    expect(types(portalEventsOf({ type: 'SUBMITTED' }, [], true, 'in-review'))).toEqual(['case.accepted']);
    expect(
      types(portalEventsOf({ type: 'DECIDED', step: 'acceptance', outcome: 'approve', actor: 'a' }, [], false, 'x')),
    ).toEqual(['case.accepted']);
  });

  it('maps decisions, the public notice, a return and the close, in the machine’s order, codes only', () => {
    const intents = [
      { type: 'recordDecision', params: { step: 'approval', outcome: 'rejected', actor: 'd', reasonCode: 'income' } },
      { type: 'publishNotice', params: { notice: 'public-notice', step: 'street-review', level: 'street' } },
      { type: 'publishNotice', params: { notice: 'publication', step: 'approval', level: 'district' } },
      { type: 'closeCase', params: { outcome: 'rejected' } },
    ] as unknown as Intent[];
    const events = portalEventsOf(
      { type: 'DECIDED', step: 'approval', outcome: 'reject', actor: 'd' },
      intents,
      false,
      'rejected',
    );
    expect(types(events)).toEqual([
      'case.decision_made',
      'case.objection_window_opened',
      'case.closed',
      'case.satisfaction_invited',
    ]);
    expect(events[0]!.data).toEqual({
      status: 'rejected',
      step: 'approval',
      outcome: 'rejected',
      reasonCode: 'income',
    });
    expect(events[2]!.data).toEqual({ status: 'rejected', outcome: 'rejected' });

    const returned = portalEventsOf(
      { type: 'DECIDED', step: 'acceptance', outcome: 'return', actor: 'a', missingMaterials: ['income-proof'] },
      [],
      false,
      'awaiting-supplement',
    );
    expect(returned).toEqual([
      {
        type: 'case.supplement_requested',
        data: { status: 'awaiting-supplement', step: 'acceptance', missingMaterials: ['income-proof'] },
      },
    ]);
  });
});
