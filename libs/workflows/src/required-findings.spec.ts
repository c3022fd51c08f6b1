import { describe, expect, it } from '@jest/globals';
import type { CaseEvent } from './events.js';
import { accepts, advance, startCase } from './procedure-registry.js';
import type { StoredCase } from './procedure-runner.js';
import { requiredFindingsOf } from './required-findings.js';
import { approve, SUBMITTED } from './testing/case-events.js';

/** A case walked through `events` on its registered machine, stored as the worker stores it. */
function walked(started: ReturnType<typeof startCase>, events: CaseEvent[]): StoredCase {
  let stored: StoredCase = { machineId: started.machineId, version: started.version, snapshot: started.snapshot };
  for (const event of events) {
    const next = advance(stored, event);
    expect([event.type, next.changed]).toEqual([event.type, true]);
    stored = { ...stored, snapshot: next.snapshot };
  }
  return stored;
}

const namesFor = (stored: StoredCase, step: string) =>
  requiredFindingsOf((findings) => accepts(stored, approve(step, findings === undefined ? {} : { findings }))).map(
    (field) => field.name,
  );

describe('requiredFindingsOf: the findings an approval must carry, asked of the machine', () => {
  it('asks nothing of an acceptance, the means findings of a 低保 investigation', () => {
    const atAcceptance = walked(startCase('minimum-living', { approvalDelegatedToStreet: false }), [SUBMITTED]);
    expect(namesFor(atAcceptance, 'acceptance')).toEqual([]);
    const atInvestigation = walked(startCase('minimum-living', { approvalDelegatedToStreet: false }), [
      SUBMITTED,
      approve('acceptance'),
    ]);
    expect(namesFor(atInvestigation, 'investigation')).toEqual([
      'homeVisitDate',
      'dataCheck',
      'communityAssessmentNeeded',
    ]);
  });

  it('asks the means and the care findings of a 特困 investigation, with the choices the machine takes', () => {
    const stored = walked(startCase('extreme-poverty', {}), [SUBMITTED, approve('acceptance')]);
    const fields = requiredFindingsOf((findings) =>
      accepts(stored, approve('investigation', findings === undefined ? {} : { findings })),
    );
    expect(fields.map((f) => f.name)).toEqual([
      'homeVisitDate',
      'dataCheck',
      'communityAssessmentNeeded',
      'selfCareLevel',
      'supportForm',
    ]);
    expect(fields.find((f) => f.name === 'supportForm')?.choices).toEqual(['institutional', 'home']);
    // Every offered choice is one the machine takes.
    for (const selfCareLevel of fields.find((f) => f.name === 'selfCareLevel')!.choices!) {
      const findings = { homeVisitDate: '2026-06-02', dataCheck: 'consistent', selfCareLevel, supportForm: 'home' };
      expect([selfCareLevel, accepts(stored, approve('investigation', { findings }))]).toEqual([selfCareLevel, true]);
    }
  });

  it('offers nothing when no findings make the machine take the approval', () => {
    expect(requiredFindingsOf(() => false)).toEqual([]);
  });
});
