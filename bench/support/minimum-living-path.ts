import { itemsRunBy } from '@minsheng/domain';
import { advance, startCase, type CaseEvent, type PersistedSnapshot, type StoredCase } from '@minsheng/workflows';

/**
 * The minimum-living happy path every workflow figure uses: submitted → accepted → investigated → street review
 * → public notice ended → approved. Six transitions per case: the ones a case makes when reviewers decide over
 * HTTP and the public-notice clock runs out (no optional STEP_STARTED, which no endpoint sends).
 */
export const REVIEWER = 'bench-reviewer';
export const FINDINGS = { homeVisitDate: '2025-03-04', dataCheck: 'consistent' };

export const HAPPY_PATH: readonly CaseEvent[] = [
  { type: 'SUBMITTED', actor: 'applicant' },
  { type: 'DECIDED', step: 'acceptance', outcome: 'approve', actor: REVIEWER },
  { type: 'DECIDED', step: 'investigation', outcome: 'approve', actor: REVIEWER, findings: FINDINGS },
  { type: 'DECIDED', step: 'street-review', outcome: 'approve', actor: REVIEWER },
  { type: 'NOTICE_PERIOD_ENDED', clock: 'public-notice' },
  { type: 'DECIDED', step: 'approval', outcome: 'approve', actor: REVIEWER },
];

export const STEPS_PER_CASE = HAPPY_PATH.length;

export const MINIMUM_LIVING_ITEM = itemsRunBy('minimum-living')[0]!.code;

export interface PathStep {
  /** The stored snapshot before the event. */
  readonly before: PersistedSnapshot;
  readonly status: string;
  readonly event: CaseEvent;
}

/** Each (snapshot, event) pair of the happy path, computed with the pure machine and round-tripped through JSON. */
export function happyPathSteps(): PathStep[] {
  const started = startCase('minimum-living', { approvalDelegatedToStreet: false });
  let stored: StoredCase = JSON.parse(
    JSON.stringify({ machineId: started.machineId, version: started.version, snapshot: started.snapshot }),
  ) as StoredCase;
  let status: string = started.status;
  const steps: PathStep[] = [];
  for (const event of HAPPY_PATH) {
    steps.push({ before: stored.snapshot, status, event });
    const next = advance(stored, event);
    if (!next.changed) throw new Error(`the happy path is out of date: ${event.type} was refused`);
    stored = JSON.parse(JSON.stringify({ ...stored, snapshot: next.snapshot })) as StoredCase;
    status = next.status;
  }
  return steps;
}
