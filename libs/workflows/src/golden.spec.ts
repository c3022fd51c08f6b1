import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StateValue } from 'xstate';
import type { CaseStatus } from './case-status.js';
import type { CaseEvent } from './events.js';
import { advance, currentStepsOf, describeState, PROCEDURE_VERSIONS } from './procedure-registry.js';
import type { PersistedSnapshot, StoredCase } from './procedure-runner.js';
import {
  ALLOCATED,
  approve,
  extension,
  NOT_UPHELD,
  OBJECTION,
  paid,
  periodEnded,
  reject,
  SUPPLEMENT,
  SUPPLEMENT_LAPSED,
} from './testing/case-events.js';
import { paramsOf, stateString, summarize } from './testing/case-walker.js';

/**
 * Golden snapshots: persisted snapshots written once from each machine version and committed under
 * `<procedure>/__golden__/v<version>-<state>.json`. They stand for cases already in the database: every change to
 * a machine must still restore them and advance them as below, or the change needs a new version.
 */
const here = fileURLToPath(new URL('.', import.meta.url));

function load(procedure: string, file: string): StoredCase {
  const [, version] = /^v(\d+)-/.exec(file) ?? [];
  const snapshot = JSON.parse(readFileSync(`${here}${procedure}/__golden__/${file}`, 'utf8')) as PersistedSnapshot;
  return { machineId: procedure, version: Number(version), snapshot };
}

interface Golden {
  readonly procedure: string;
  readonly file: string;
  readonly status: CaseStatus;
  readonly steps: readonly string[];
  readonly event: CaseEvent;
  /** Where the event leads, or null when the stored state must refuse it. */
  readonly next: { readonly state: string; readonly status: CaseStatus; readonly intents: readonly string[] } | null;
}

const GOLDEN: readonly Golden[] = [
  {
    procedure: 'minimum-living',
    file: 'v2-refusal-decision.json',
    status: 'in-review',
    steps: ['refusal-decision'],
    event: {
      type: 'DECIDED',
      step: 'refusal-decision',
      outcome: 'reject',
      actor: 'staff:district-d',
      reasonCode: 'ASSETS_ABOVE_LIMITS',
    },
    next: {
      state: 'rejectionNotice',
      status: 'rejected',
      intents: [
        'closeTask:refusal-decision',
        'stopClock:overall',
        'recordDecision:refusal-decision:rejected',
        'notifyApplicant:rejected',
        'openTask:rejection-notice',
        'startClock:rejection-notice',
      ],
    },
  },
  {
    procedure: 'extreme-poverty',
    file: 'v2-refusal-decision.json',
    status: 'in-review',
    steps: ['refusal-decision'],
    event: approve('refusal-decision'),
    next: {
      state: 'review.streetStage.investigation',
      status: 'in-review',
      intents: [
        'closeTask:refusal-decision',
        'stopClock:refusal-decision',
        'startClock:investigation-and-opinion',
        'openTask:investigation',
      ],
    },
  },
  {
    procedure: 'temporary-assistance',
    file: 'v2-refusal-decision.json',
    status: 'in-review',
    steps: ['refusal-decision'],
    event: {
      type: 'DECIDED',
      step: 'refusal-decision',
      outcome: 'reject',
      actor: 'staff:district-d',
      reasonCode: 'MEANS_TEST_FAILED',
    },
    next: {
      state: 'rejected',
      status: 'rejected',
      intents: [
        'closeTask:refusal-decision',
        'stopClock:overall',
        'recordDecision:refusal-decision:rejected',
        'notifyApplicant:rejected',
        'closeCase:rejected',
      ],
    },
  },
  {
    procedure: 'minimum-living',
    file: 'v1-investigation-awaiting-applicant.json',
    status: 'awaiting-applicant',
    steps: [],
    event: SUPPLEMENT,
    next: {
      state: 'review.investigation.underway',
      status: 'in-review',
      intents: ['resumeClock:overall', 'openTask:investigation'],
    },
  },
  {
    procedure: 'minimum-living',
    file: 'v1-objection-review-period-ended.json',
    status: 'public-notice',
    steps: ['objection-review'],
    event: NOT_UPHELD,
    next: {
      state: 'review.approval',
      status: 'in-review',
      intents: ['closeTask:objection-review', 'stopClock:public-notice', 'openTask:approval'],
    },
  },
  {
    procedure: 'minimum-living',
    file: 'v1-approval-delegated-extended.json',
    status: 'in-review',
    steps: ['approval'],
    event: extension('a second extension'),
    next: null,
  },
  {
    procedure: 'minimum-living',
    file: 'v1-approval-delegated-extended.json',
    status: 'in-review',
    steps: ['approval'],
    event: approve('approval'),
    next: {
      state: 'approved',
      status: 'approved',
      intents: [
        'closeTask:approval',
        'stopClock:overall',
        'recordDecision:approval:approved',
        'notifyApplicant:approved',
        'publishNotice:publication',
        'grantEntitlement:minimum-living-allowance',
        'closeCase:approved',
      ],
    },
  },
  {
    procedure: 'extreme-poverty',
    file: 'v1-confirmation.json',
    status: 'in-review',
    steps: ['confirmation'],
    event: approve('confirmation'),
    next: {
      state: 'approved',
      status: 'approved',
      intents: [
        'closeTask:confirmation',
        'stopClock:confirmation',
        'recordDecision:confirmation:approved',
        'notifyApplicant:approved',
        'grantEntitlement:extreme-poverty-support',
        'closeCase:approved',
      ],
    },
  },
  {
    procedure: 'temporary-assistance',
    file: 'v1-payment-instalment-2-of-3.json',
    status: 'in-payment',
    steps: ['payment'],
    event: paid(2),
    next: { state: 'payment', status: 'in-payment', intents: ['closeTask:payment', 'openTask:payment'] },
  },
  {
    // v3: the payment run pays; instalment 1 was returned, 2 paid; the corrected first one is still owed.
    procedure: 'temporary-assistance',
    file: 'v3-payment-run-1-returned-2-paid.json',
    status: 'in-payment',
    steps: [],
    event: paid(1),
    next: { state: 'payment', status: 'in-payment', intents: [] },
  },
  {
    procedure: 'temporary-assistance',
    file: 'v3-payment-run-1-returned-2-paid.json',
    status: 'in-payment',
    steps: [],
    event: paid(2),
    next: null,
  },
  {
    // A v3 case stored in payment before the ending was told to cases: an ended entitlement closes it with what was
    // paid (docs/money.md "临时救助: one payer, in instalments").
    procedure: 'temporary-assistance',
    file: 'v3-payment-run-1-returned-2-paid.json',
    status: 'in-payment',
    steps: [],
    event: { type: 'PAYMENTS_STOPPED', actor: 'operator-1', reason: 'deceased', effectiveMonth: '2026-08' },
    next: { state: 'approved', status: 'approved', intents: ['closeCase:approved'] },
  },
  {
    // v1 and v2 pay by their payment tasks and write no entitlement the run pays: nothing ends them.
    procedure: 'temporary-assistance',
    file: 'v1-payment-instalment-2-of-3.json',
    status: 'in-payment',
    steps: ['payment'],
    event: { type: 'PAYMENTS_STOPPED', actor: 'operator-1', reason: 'deceased' },
    next: null,
  },
  {
    procedure: 'temporary-assistance',
    file: 'v1-major-case.json',
    status: 'in-review',
    steps: ['major-case'],
    event: approve('major-case', { amountFen: 1_000_000 }),
    next: {
      state: 'payment',
      status: 'in-payment',
      intents: [
        'closeTask:major-case',
        'stopClock:overall',
        'recordDecision:major-case:approved',
        'notifyApplicant:approved',
        'grantEntitlement:temporary-assistance',
        'openTask:payment',
      ],
    },
  },
  {
    procedure: 'disability-subsidies',
    file: 'v1-decision-grade-3.json',
    status: 'in-review',
    steps: ['decision'],
    event: approve('decision', { parts: { living: { outcome: 'approve' }, nursing: { outcome: 'approve' } } }),
    next: null,
  },
  {
    procedure: 'disability-subsidies',
    file: 'v1-decision-grade-3.json',
    status: 'in-review',
    steps: ['decision'],
    event: approve('decision', {
      parts: { living: { outcome: 'approve' }, nursing: { outcome: 'reject', reasonCode: 'NOT_SEVERE_DISABILITY' } },
    }),
    next: {
      state: 'approved',
      status: 'approved',
      intents: [
        'closeTask:decision',
        'recordDecision:decision:approved',
        'notifyApplicant:approved',
        'grantEntitlement:disability-living-subsidy',
        'closeCase:approved',
      ],
    },
  },
  // Version 2: registration outside Xinjiang refuses the living subsidy only; the nursing subsidy is still granted.
  {
    procedure: 'disability-subsidies',
    file: 'v2-decision-grade-1.json',
    status: 'in-review',
    steps: ['decision'],
    event: approve('decision', {
      parts: {
        living: { outcome: 'reject', reasonCode: 'NOT_LOCAL_HOUSEHOLD_REGISTRATION' },
        nursing: { outcome: 'approve' },
      },
    }),
    next: {
      state: 'approved',
      status: 'approved',
      intents: [
        'closeTask:decision',
        'recordDecision:decision:approved',
        'notifyApplicant:approved',
        'grantEntitlement:disability-nursing-subsidy',
        'closeCase:approved',
      ],
    },
  },
  {
    procedure: 'disability-subsidies',
    file: 'v2-decision-grade-1.json',
    status: 'in-review',
    steps: ['decision'],
    event: {
      type: 'DECIDED',
      step: 'decision',
      outcome: 'reject',
      actor: 'staff:district-d',
      reasonCode: 'NOT_LOCAL_HOUSEHOLD_REGISTRATION',
    },
    next: null,
  },
  {
    procedure: 'legal-aid',
    file: 'v1-refused.json',
    status: 'rejected',
    steps: [],
    event: OBJECTION,
    next: {
      state: 'objectionReview',
      status: 'in-review',
      intents: ['stopClock:objection-window', 'openTask:objection-review', 'startClock:objection-review'],
    },
  },
  {
    procedure: 'legal-aid',
    file: 'v1-awaiting-applicant.json',
    status: 'awaiting-applicant',
    steps: [],
    event: SUPPLEMENT_LAPSED,
    next: {
      state: 'deemedWithdrawn',
      status: 'withdrawn',
      intents: [
        'resumeClock:review',
        'stopClock:review',
        'notifyApplicant:deemed-withdrawn',
        'closeCase:deemed-withdrawn',
      ],
    },
  },
  {
    procedure: 'legal-aid',
    file: 'v2-awaiting-applicant.json',
    status: 'awaiting-applicant',
    steps: [],
    event: SUPPLEMENT,
    next: {
      state: 'examination.reviewing',
      status: 'in-review',
      intents: ['stopClock:supplement-window', 'resumeClock:review', 'openTask:review'],
    },
  },
  {
    procedure: 'public-rental-housing',
    file: 'v1-waiting-list.json',
    status: 'waiting-list',
    steps: [],
    event: ALLOCATED,
    next: {
      state: 'approved',
      status: 'approved',
      intents: ['grantEntitlement:public-rental-housing', 'closeCase:approved'],
    },
  },
  // Version 2: the wait on the list runs as a clock, stopped by the allocation.
  {
    procedure: 'public-rental-housing',
    file: 'v2-waiting-list.json',
    status: 'waiting-list',
    steps: [],
    event: ALLOCATED,
    next: {
      state: 'approved',
      status: 'approved',
      intents: ['stopClock:waiting', 'grantEntitlement:public-rental-housing', 'closeCase:approved'],
    },
  },
  // Version 3: the lease runs as a period from the allocation; its end closes the case.
  {
    procedure: 'public-rental-housing',
    file: 'v3-leased.json',
    status: 'in-lease',
    steps: [],
    event: periodEnded('lease'),
    next: { state: 'approved', status: 'approved', intents: ['stopClock:lease', 'closeCase:approved'] },
  },
  {
    procedure: 'unemployment-benefit',
    file: 'v1-review.json',
    status: 'in-review',
    steps: ['review'],
    event: approve('review', { findings: { contributionMonths: 130 } }),
    next: {
      state: 'approved',
      status: 'approved',
      intents: [
        'closeTask:review',
        'stopClock:review',
        'recordDecision:review:approved',
        'notifyApplicant:approved',
        'grantEntitlement:unemployment-benefit',
        'closeCase:approved',
      ],
    },
  },
  // Version 2: the benefit period (18 months: 12 earned and 6 not drawn before) runs; a stop on an art. 51 ground ends it.
  {
    procedure: 'unemployment-benefit',
    file: 'v2-receiving.json',
    status: 'in-payment',
    steps: ['benefit-stop'],
    event: reject('benefit-stop', 'STOP_REEMPLOYED', {
      findings: { stopEventOn: '2026-05-04', reportedOn: '2026-05-20' },
    }),
    next: {
      state: 'approved',
      status: 'approved',
      intents: [
        'closeTask:benefit-stop',
        'stopClock:benefit-period',
        'recordDecision:benefit-stop:rejected',
        'notifyApplicant:rejected',
        'closeCase:approved',
      ],
    },
  },
  {
    procedure: 'unemployment-benefit',
    file: 'v2-receiving.json',
    status: 'in-payment',
    steps: ['benefit-stop'],
    event: periodEnded('benefit-period'),
    next: {
      state: 'approved',
      status: 'approved',
      intents: ['closeTask:benefit-stop', 'stopClock:benefit-period', 'closeCase:approved'],
    },
  },
  // Version 2 keeps the five grounds of 社会保险法 art. 51: a prison sentence (失业保险条例 art. 15, version 3) is refused.
  {
    procedure: 'unemployment-benefit',
    file: 'v2-receiving.json',
    status: 'in-payment',
    steps: ['benefit-stop'],
    event: reject('benefit-stop', 'STOP_IMPRISONED', {
      findings: { stopEventOn: '2026-05-04', reportedOn: '2026-05-20' },
    }),
    next: null,
  },
  // Version 3: a prison sentence served (失业保险条例 art. 15) stops the benefit.
  {
    procedure: 'unemployment-benefit',
    file: 'v3-receiving.json',
    status: 'in-payment',
    steps: ['benefit-stop'],
    event: reject('benefit-stop', 'STOP_IMPRISONED', {
      findings: { stopEventOn: '2026-05-04', reportedOn: '2026-05-20' },
    }),
    next: {
      state: 'approved',
      status: 'approved',
      intents: [
        'closeTask:benefit-stop',
        'stopClock:benefit-period',
        'recordDecision:benefit-stop:rejected',
        'notifyApplicant:rejected',
        'closeCase:approved',
      ],
    },
  },
  {
    procedure: 'unemployment-benefit',
    file: 'v3-receiving.json',
    status: 'in-payment',
    steps: ['benefit-stop'],
    event: periodEnded('benefit-period'),
    next: {
      state: 'approved',
      status: 'approved',
      intents: ['closeTask:benefit-stop', 'stopClock:benefit-period', 'closeCase:approved'],
    },
  },
  {
    procedure: 'general-review',
    file: 'v1-bps-063-township-notice.json',
    status: 'public-notice',
    steps: [],
    event: periodEnded('township-notice'),
    next: {
      state: 'process.reviewing.open',
      status: 'in-review',
      intents: ['stopClock:township-notice', 'startClock:county-approval', 'openTask:county-approval'],
    },
  },
  {
    procedure: 'general-review',
    file: 'v1-bps-058-benefit-review.json',
    status: 'in-review',
    steps: ['benefit-review'],
    event: approve('benefit-review'),
    next: {
      state: 'approved',
      status: 'approved',
      intents: [
        'closeTask:benefit-review',
        'stopClock:benefit-review',
        'recordDecision:benefit-review:approved',
        'notifyApplicant:approved',
        'grantEntitlement:basic-pension-employees',
        'closeCase:approved',
      ],
    },
  },
];

describe('golden snapshots (cases already stored) still restore and advance', () => {
  it.each(GOLDEN.map((golden) => [`${golden.procedure}/${golden.file}`, golden] as const))('%s', (_name, golden) => {
    const stored = load(golden.procedure, golden.file);
    expect(describeState(stored)).toBe(golden.status);
    expect(currentStepsOf(stored)).toEqual(golden.steps);
    const next = advance(stored, golden.event);
    if (golden.next === null) {
      expect(next.changed).toBe(false);
      expect(next.intents).toEqual([]);
      return;
    }
    expect({
      state: stateString(next.snapshot.value as StateValue),
      status: next.status,
      intents: next.intents.map(summarize),
    }).toEqual(golden.next);
  });

  it('carries the facts recorded before the snapshot was stored', () => {
    const extended = load('minimum-living', 'v1-approval-delegated-extended.json');
    expect(extended.snapshot.context).toMatchObject({
      approvalLevel: 'street',
      extended: true,
      breachedClocks: ['investigation-start'],
    });
    const care = advance(load('extreme-poverty', 'v1-confirmation.json'), approve('confirmation'));
    expect(paramsOf(care.intents, 'grantEntitlement')[0]?.details).toMatchObject({
      selfCareLevel: 'none',
      supportForm: 'institutional',
    });
    const instalment = advance(load('temporary-assistance', 'v1-payment-instalment-2-of-3.json'), paid(2));
    expect(paramsOf(instalment.intents, 'openTask')[0]?.payment).toEqual({ instalment: 3, of: 3, amountFen: 50_000 });
    const objection = advance(load('legal-aid', 'v1-refused.json'), OBJECTION);
    expect(paramsOf(objection.intents, 'startClock')[0]?.limit).toMatchObject({ amount: 5, unit: 'working-days' });
  });

  it('keeps a v1 低保 case on v1 rules: its street office still refuses alone, while v2 proposes to the district', () => {
    const stored = load('minimum-living', 'v1-investigation-awaiting-applicant.json');
    const resumed = advance(stored, SUPPLEMENT);
    const refusal: CaseEvent = {
      type: 'DECIDED',
      step: 'investigation',
      outcome: 'reject',
      actor: 'staff:street-a',
      reasonCode: 'INCOME_ABOVE_STANDARD',
    };
    const v1 = advance({ ...stored, snapshot: resumed.snapshot }, refusal);
    expect([stateString(v1.snapshot.value as StateValue), v1.status]).toEqual(['rejectionNotice', 'rejected']);
    const v2 = advance({ ...stored, version: 2, snapshot: resumed.snapshot }, refusal);
    expect([stateString(v2.snapshot.value as StateValue), v2.status]).toEqual(['review.refusalDecision', 'in-review']);
  });

  it('has at least one golden snapshot for every version of every procedure', () => {
    for (const [procedure, versions] of Object.entries(PROCEDURE_VERSIONS)) {
      const files = readdirSync(`${here}${procedure}/__golden__`);
      for (const version of Object.keys(versions)) {
        expect([procedure, files.some((file) => file.startsWith(`v${version}-`))]).toEqual([procedure, true]);
      }
    }
  });

  it('covers every golden file in the table', () => {
    const listed = new Set(GOLDEN.map((golden) => `${golden.procedure}/${golden.file}`));
    for (const procedure of Object.keys(PROCEDURE_VERSIONS)) {
      for (const file of readdirSync(`${here}${procedure}/__golden__`))
        expect(listed).toContain(`${procedure}/${file}`);
    }
  });
});
