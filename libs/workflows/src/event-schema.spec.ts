import { caseEventSchema } from './event-schema.js';
import { CASE_EVENT_TYPES } from './events.js';

describe('caseEventSchema', () => {
  it('accepts a decision as the gateway sends it, keeping its task id and fields this worker does not read', () => {
    const event = {
      type: 'DECIDED',
      step: 'review',
      outcome: 'return',
      actor: 'staff:r1',
      missingMaterials: ['household-register'],
      taskId: 't-1',
      comment: 'from a newer gateway',
    };
    expect(caseEventSchema.parse(event)).toEqual(event);
  });

  it.each([
    [{ type: 'DECIDED', step: 'review', outcome: 'maybe', actor: 'staff:r1' }, 'outcome'],
    [{ type: 'DECIDED', outcome: 'approve', actor: 'staff:r1' }, 'step'],
    [{ type: 'OBJECTION_DECIDED', upheld: 'yes', actor: 'staff:r1' }, 'upheld'],
    [{ type: 'PAYMENT_CONFIRMED', instalment: 0 }, 'instalment'],
    [{ type: 'CLOCK_BREACHED' }, 'clock'],
    [{ type: 'PAYMENTS_STOPPED', reason: 'deceased' }, 'actor'],
    [{ type: 'X' }, 'type'],
    [{ step: 'review' }, 'type'],
  ])('refuses %j, naming %s', (event, field) => {
    const result = caseEventSchema.safeParse(event);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });

  it('knows every event type of the vocabulary', () => {
    const minimal: Record<string, Record<string, unknown>> = {
      DECIDED: { step: 's', outcome: 'approve', actor: 'a' },
      STEP_STARTED: { step: 's', actor: 'a' },
      SUPPLEMENT_LAPSED: { actor: 'a' },
      OBJECTION_DECIDED: { upheld: true, actor: 'a' },
      EXTENSION_GRANTED: { reason: 'r', actor: 'a' },
      PAYMENT_CONFIRMED: { instalment: 1 },
      PAYMENT_FAILED: { instalment: 1, actor: 'a' },
      ALLOCATED: { actor: 'a' },
      PAYMENTS_STOPPED: { actor: 'a' },
      CLOCK_BREACHED: { clock: 'overall' },
    };
    for (const type of CASE_EVENT_TYPES) {
      expect(caseEventSchema.safeParse({ type, ...minimal[type] }).success).toBe(true);
    }
  });
});
