import { describe, expect, it } from '@jest/globals';
import { DomainError } from '@minsheng/domain';
import { INTENT_TYPES, intentActions, intentsOf } from './intents.js';

describe('intentsOf', () => {
  it('keeps type and params of every intent, in order, and drops what XState adds', () => {
    const actions = [
      {
        type: 'openTask',
        params: { step: 'acceptance', level: 'street', kind: 'acceptance', outcomes: ['approve'], rejectReasons: [] },
        info: { self: {} },
      },
      { type: 'closeCase', params: { outcome: 'approved' }, info: {} },
    ];
    expect(intentsOf(actions)).toEqual([
      {
        type: 'openTask',
        params: { step: 'acceptance', level: 'street', kind: 'acceptance', outcomes: ['approve'], rejectReasons: [] },
      },
      { type: 'closeCase', params: { outcome: 'approved' } },
    ]);
  });

  it.each(['xstate.assign', 'log', 'sendEmail', 'opentask'])(
    'throws on an action that is not an intent (%s)',
    (type) => {
      const attempt = () =>
        intentsOf([
          { type: 'stopClock', params: { clock: 'overall' } },
          { type, params: {} },
        ]);
      expect(attempt).toThrow(DomainError);
      expect(attempt).toThrow(
        expect.objectContaining({ code: 'WORKFLOW.UNKNOWN_ACTION', details: { field: 'actions[1].type', type } }),
      );
    },
  );

  it('throws on an intent without params', () => {
    expect(() => intentsOf([{ type: 'closeTask' }])).toThrow(
      expect.objectContaining({ code: 'WORKFLOW.INTENT_WITHOUT_PARAMS' }),
    );
  });

  it('declares an action for every intent type and nothing else', () => {
    expect(Object.keys(intentActions).sort()).toEqual([...INTENT_TYPES].sort());
  });
});
