import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { getServiceItem, ManualClock, toShanghaiDate, workingDaysBetween } from '../../../libs/domain/src/index.js';
import { loadCalendarSet, PiiCipher, replayStoredCases, type CaseReplayReport } from '../../../libs/infra/src/index.js';
import { finalStatesOf, PROCEDURE_VERSIONS, versionsFor } from '../../../libs/workflows/src/index.js';
import { givenPortal, minimumLivingApplication } from '../intake/intake-fixtures.js';
import { getJson, listen } from '../../support/http.js';
import { staffToken, type StaffToken } from '../../support/staff.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';
import { TimeTravel } from '../../support/time-travel.js';

const DAY = 86_400_000;
/** The Urumqi minimum wage the suite publishes (an assumed figure, so unemployment amounts are provisional). */
const MINIMUM_WAGE_FEN = 190_000;
/** Rounds of "decide what is open, or let time pass" before a path counts as stuck. */
const MAX_ROUNDS = 60;

/** The ends the suite cannot reach yet, each with the reason; anything else unreached fails the suite. */
const NOT_YET_REACHABLE: Readonly<Record<string, string>> = {};

/** What a step found, enough for every step's guard: means check, grades, care, contributions. */
const FINDINGS = {
  homeVisitDate: '2026-03-03',
  dataCheck: 'consistent',
  disabilityGrade: 1,
  selfCareLevel: 'full',
  supportForm: 'home',
  contributionMonths: 36,
};

interface TaskView {
  readonly id: string;
  readonly step: string;
  readonly kind: string;
  readonly level: string;
  readonly departmentCode: string;
  readonly divisionCode: string;
  readonly closedAt: string | null;
}

interface TaskDetail {
  readonly step: string;
  readonly kind: string;
  readonly level: string;
  readonly departmentCode: string;
  readonly outcomes: readonly string[];
  readonly rejectReasons: readonly string[];
  readonly details: Record<string, unknown>;
}

/** A clock of the case as `GET /v1/staff/cases/{id}/clocks` shows it. */
interface ClockView {
  readonly clock: string;
  readonly kind: string;
  readonly state: string;
  readonly dueAt: string | null;
  readonly stoppedAt: string | null;
  readonly endedAt: string | null;
}

/** A parameter an amount was computed from, as the amount stores it (docs/domain.md §7). */
interface ParameterSource {
  readonly key: string;
  readonly value: number;
  readonly on: string;
  readonly provisional: boolean;
}

type StoredAmount = Record<string, unknown> & { kind: string; parameterSources?: ParameterSource[] };

type Body = Record<string, unknown>;

/** How a path decides a task: a body, or the default (approve with findings, or pay). */
type Decider = (task: TaskDetail) => Body | undefined;

interface Path {
  readonly name: string;
  readonly item: string;
  readonly details?: Body;
  readonly decide?: Decider;
  /** Withdraw over the portal as soon as the application is in. */
  readonly withdraw?: boolean;
  /** A supervisor of the accepting office extends the overall limit once, at the first task of this step. */
  readonly extendAt?: string;
  /** Object during the 公示 (once), over the portal; the objection task decides as `decide` says. */
  readonly object?: boolean;
  /** Object to a refusal (once, over the portal) while its window runs: 法律援助法 art. 49, the 公租房 复核. */
  readonly objectAfterRefusal?: boolean;
  /** The applicant never supplies what a return asked for: time passes instead. */
  readonly neverSupplement?: boolean;
  /** Nobody decides this step's task: time passes until the periods the case shows end (a benefit period). */
  readonly waitAt?: string;
  /** 临时救助 (v3): the bank returns the first instalment's line once; the street office corrects the account. */
  readonly returnFirstPayment?: boolean;
  /** The end the path must reach (the CASE_CLOSED outcome). */
  readonly end: string;
  /** What else the path proves about the closed case. */
  readonly check?: (closed: ClosedCase) => void;
}

interface ClosedCase {
  readonly view: { status: string; closedAt: string; entitlement: StoredAmount | null; tasks: TaskView[] };
  readonly events: { type: string; actor: string; payload: Record<string, unknown> }[];
  readonly clocks: ClockView[];
}

const approveOrPay: Decider = (task) => {
  if (task.outcomes.includes('paid')) return { outcome: 'paid', paymentReference: `bank-${randomUUID().slice(0, 8)}` };
  // 失业保险金 (version 2 and later): the benefit stops because the person found work, reported within the 20 working days.
  if (task.step === 'benefit-stop') {
    return {
      outcome: 'reject',
      reasonCode: 'STOP_REEMPLOYED',
      findings: { stopEventOn: '2026-05-04', reportedOn: '2026-05-11' },
    };
  }
  if (task.kind === 'objection') return { outcome: 'not-upheld' };
  return { outcome: 'approve', findings: FINDINGS };
};

/** Rejects at the first task that can, with its first reason; approves before it. */
const rejectFirstChance: Decider = (task) =>
  task.outcomes.includes('reject') ? { outcome: 'reject', reasonCode: task.rejectReasons[0] } : approveOrPay(task);

/** Decides `step` with `body`, everything else as `otherwise`. */
const at =
  (step: string, body: Body | ((task: TaskDetail) => Body), otherwise: Decider = approveOrPay): Decider =>
  (task) =>
    task.step === step ? (typeof body === 'function' ? body(task) : body) : otherwise(task);

const HOUSING_MATERIAL = { type: 'housing-status-proof', fileName: 'f.pdf', sha256: 'b'.repeat(64), reference: 'h' };

/** Every procedure's item(s) with the details their procedure needs; `general-review` on three items. */
const ITEMS: Readonly<Record<string, { readonly procedure: string; readonly details?: Body }>> = {
  'BPS-064': { procedure: 'minimum-living' },
  'BPS-066': { procedure: 'extreme-poverty' },
  'BPS-069': {
    procedure: 'temporary-assistance',
    details: { assistanceType: 'expenditure', requestedAmountFen: 200_000 },
  },
  'BPS-072': { procedure: 'disability-subsidies', details: { subsidies: ['living', 'nursing'] } },
  'BPS-071': {
    procedure: 'legal-aid',
    details: { urgent: false, competentDivision: '650102', competenceGround: 'case-handling-organ' },
  },
  'BPS-060': { procedure: 'public-rental-housing', details: { priorityHousehold: false } },
  // Routed by the insurer (docs/items.md): the handling office of 天山区, the district of the registration here.
  'BPS-032': {
    procedure: 'unemployment-benefit',
    details: { unemploymentRegistered: true, competentDivision: '650102' },
  },
  'BPS-056': { procedure: 'general-review' },
  'BPS-080': { procedure: 'general-review' },
  'BPS-004': { procedure: 'general-review', details: { competentDivision: '650102' } },
};

const granted = (closed: ClosedCase) => closed.events.filter((e) => e.type === 'ENTITLEMENT_GRANTED');

/**
 * 公租房 (version 3): the waiting list is registered, the allocation with its lease starts the lease period, and the
 * case ends when the lease (at most 5 years; 2 months here) ends.
 */
const HOUSED: Readonly<Record<string, (closed: ClosedCase) => void>> = {
  'BPS-060': (closed) => {
    expect(granted(closed).map((e) => e.payload['kind'])).toEqual([
      'public-rental-housing-waiting-list',
      'public-rental-housing',
    ]);
    expect(closed.view.entitlement).toMatchObject({
      kind: 'public-rental-housing',
      details: { allocation: 'flat-12-3-501', lease: 'lease-2026-0001', leaseAtMostMonths: 60, leaseMonths: 2 },
    });
    expect(closed.events.map((e) => e.type)).toContain('ALLOCATION_RECORDED');
    // The allocation result is posted (住房和城乡建设部令第11号).
    expect(
      closed.events.filter((e) => e.type === 'NOTICE_PUBLISHED').map((e) => [e.payload['step'], e.payload['notice']]),
    ).toContainEqual(['allocation', 'publication']);
    const lease = closed.clocks.find((c) => c.clock === 'lease');
    expect([lease?.kind, lease?.endedAt !== null]).toEqual(['period', true]);
  },
};

/** 两项补贴 is approved only subsidy by subsidy: its approvals are the paths below. */
const lifecycle = (item: string): Path[] => [
  ...(item === 'BPS-072' ? [] : [{ name: `${item} approved`, item, end: 'approved', check: HOUSED[item] }]),
  {
    name: `${item} rejected at the first step that may refuse`,
    item,
    decide: rejectFirstChance,
    end: 'rejected',
    check: DISTRICT_DECIDES_REFUSAL.includes(item) ? refusedAtDistrict : undefined,
  },
  { name: `${item} withdrawn by the applicant`, item, withdraw: true, end: 'withdrawn' },
];

/** The first task that may return the application does so, once; everything else as `otherwise`. */
function returnOnce(otherwise: Decider = approveOrPay): Decider {
  let returned = false;
  return (task) => {
    if (!returned && task.outcomes.includes('return')) {
      returned = true;
      return { outcome: 'return', missingMaterials: ['income-proof'] };
    }
    return otherwise(task);
  };
}

/** An objection task decided `outcome` the first time, not upheld after. */
function objectionDecided(outcome: 'upheld' | 'not-upheld'): Decider {
  let decided = false;
  return (task) => {
    if (task.kind !== 'objection') return approveOrPay(task);
    const first = !decided;
    decided = true;
    return { outcome: first ? outcome : 'not-upheld' };
  };
}

const types = (closed: ClosedCase) => closed.events.map((e) => e.type);

/** The value of `key` among the parameters the amount was computed from. */
function sourceOf(amount: StoredAmount, key: string): number {
  const found = amount.parameterSources?.find((p) => p.key === key);
  expect([amount.kind, key, typeof found?.value]).toEqual([amount.kind, key, 'number']);
  return found!.value;
}

/** A published share (1.3, 0.9) times an amount in fen, in exact integer arithmetic (thousandths). */
const share = (ratio: number, amountFen: number) => (Math.round(ratio * 1000) * amountFen) / 1000;

/**
 * The amount each procedure computes on approval, recomputed here from the values it says it used (docs/domain.md
 * §7); the walk has already checked those values against the catalog API for their day.
 */
const AMOUNTS: Readonly<Record<string, (amount: StoredAmount, closed: ClosedCase) => void>> = {
  // 社会救助暂行办法 art. 12: (standard − per-capita income) × members; the applicant lives alone on 250 yuan.
  'BPS-064': (amount) =>
    expect(amount).toMatchObject({
      kind: 'minimum-living-allowance',
      eligible: true,
      monthlyAmountFen: sourceOf(amount, 'minimum-living.standard.urban') - 25_000,
      incomeFrom: 'declared member incomes',
    }),
  // ⌈1.3 × the 低保 standard⌉, and no care amount for a person the confirmation found fully self-caring.
  'BPS-066': (amount) => {
    const basic = Math.ceil(
      share(
        sourceOf(amount, 'extreme-poverty.basic-standard-multiple'),
        sourceOf(amount, 'minimum-living.standard.urban'),
      ),
    );
    expect(amount).toMatchObject({
      kind: 'extreme-poverty-support',
      basicLivingFen: basic,
      careFen: 0,
      monthlyAmountFen: basic,
    });
  },
  // The amount the decision approved, within 8 × the regional standard fixed at intake (支出型).
  'BPS-069': (amount) => {
    const cap =
      sourceOf(amount, 'temporary-assistance.cap.expenditure') *
      sourceOf(amount, 'temporary-assistance.regional-urban-standard');
    expect([amount.kind, amount['amountFen'], 200_000 <= cap]).toEqual(['temporary-assistance', 200_000, true]);
    expect(amount['formula']).toContain(`within the cap ${cap} fen`);
  },
  // Each subsidy granted at its own published standard; both kept, with their monthly total.
  'BPS-072': (amount, closed) => {
    const kinds = granted(closed).map((e) => e.payload['kind']);
    const grants = kinds.length > 1 ? (amount['grants'] as StoredAmount[]) : [amount];
    expect(grants.map((g) => g.kind)).toEqual(kinds);
    const standards = grants.map((g) =>
      sourceOf(
        g,
        g.kind === 'disability-living-subsidy'
          ? 'disability-subsidies.living-subsidy'
          : 'disability-subsidies.nursing-subsidy',
      ),
    );
    expect(grants.map((g) => g['monthlyAmountFen'])).toEqual(standards);
    expect(amount['monthlyAmountFen']).toBe(standards.reduce((a, b) => a + b, 0));
  },
  // max(⌊0.9 × the minimum wage the suite published⌋, the 低保 standard), 12 months for 3 years of contributions.
  'BPS-032': (amount) => {
    const wage = sourceOf(amount, 'unemployment-benefit.minimum-wage');
    expect(wage).toBe(MINIMUM_WAGE_FEN);
    expect(amount).toMatchObject({
      kind: 'unemployment-benefit',
      monthlyAmountFen: Math.max(
        Math.floor(share(sourceOf(amount, 'unemployment-benefit.ratio-to-minimum-wage'), wage)),
        sourceOf(amount, 'minimum-living.standard.urban'),
      ),
      months: sourceOf(amount, 'unemployment-benefit.max-months.contributions-1-to-5-years'),
      // The wage was published as an inference (evidence G): the amount says it is provisional.
      provisional: true,
    });
  },
};

/** `step` refuses once with its first reason; the objection to the refusal is decided `outcome`; the rest approves. */
function refusedThenObjection(step: string, outcome: 'upheld' | 'not-upheld'): Decider {
  let refused = false;
  return (task) => {
    if (task.step === step && !refused) {
      refused = true;
      return { outcome: 'reject', reasonCode: task.rejectReasons[0] };
    }
    if (task.kind === 'objection') {
      expect([task.step, task.level]).toEqual([task.step, 'district']);
      return { outcome };
    }
    return approveOrPay(task);
  };
}

/** The procedures whose street office only proposes a refusal, the district deciding (社会救助暂行办法 art. 11(3)). */
const DISTRICT_DECIDES_REFUSAL = ['BPS-064', 'BPS-066', 'BPS-069'];

/**
 * The street rejects at its first chance (a proposal, with the step's first reason); the district's
 * `refusal-decision` task, which must carry that proposal, decides `outcome`; everything else approves.
 */
function districtDecidesProposal(outcome: 'reject' | 'approve'): Decider {
  let proposed: { step: string; reasonCode: string } | undefined;
  let decided = false;
  return (task) => {
    if (task.step === 'refusal-decision') {
      expect([task.level, task.kind, task.details['proposal']]).toEqual([
        'district',
        'decision',
        expect.objectContaining({ ...proposed }),
      ]);
      decided = true;
      return outcome === 'reject' ? { outcome, reasonCode: proposed!.reasonCode } : { outcome };
    }
    if (proposed === undefined && !decided && task.level === 'street' && task.outcomes.includes('reject')) {
      proposed = { step: task.step, reasonCode: task.rejectReasons[0]! };
      return { outcome: 'reject', reasonCode: proposed.reasonCode };
    }
    return approveOrPay(task);
  };
}

/** The district's refusal-decision task decided the case; the street's proposal recorded nothing by itself. */
function decidedAtDistrict(closed: ClosedCase): TaskView {
  const decisions = closed.view.tasks.filter((t) => t.step === 'refusal-decision');
  expect(decisions.map((t) => [t.level, t.kind, t.departmentCode, t.closedAt !== null])).toEqual([
    ['district', 'decision', 'civil-affairs', true],
  ]);
  return decisions[0]!;
}

const refusedAtDistrict = (closed: ClosedCase) => {
  decidedAtDistrict(closed);
  const refusals = closed.events.filter((e) => e.type === 'DECISION_RECORDED' && e.payload['outcome'] === 'rejected');
  expect(refusals.map((e) => e.payload['step'])).toEqual(['refusal-decision']);
  // The refusal, with its reason, reaches the applicant.
  const told = closed.events.filter((e) => e.type === 'APPLICANT_NOTIFIED' && e.payload['template'] === 'rejected');
  expect(told.map((e) => e.payload['reasonCode'])).toEqual([refusals[0]!.payload['reasonCode']]);
};

const sentBackByDistrict = (closed: ClosedCase) => {
  decidedAtDistrict(closed);
  expect(closed.events.filter((e) => e.type === 'DECISION_RECORDED' && e.payload['outcome'] === 'rejected')).toEqual(
    [],
  );
  expect(closed.events.filter((e) => e.type === 'APPLICANT_NOTIFIED' && e.payload['template'] === 'rejected')).toEqual(
    [],
  );
};

const PATHS: readonly Path[] = [
  ...Object.keys(ITEMS).flatMap(lifecycle),
  // 两项补贴: each subsidy decided on its own (国发〔2015〕52号).
  {
    name: 'BPS-072 both subsidies granted',
    item: 'BPS-072',
    decide: at('decision', {
      outcome: 'approve',
      parts: { living: { outcome: 'approve' }, nursing: { outcome: 'approve' } },
    }),
    end: 'approved',
    check: (closed) => {
      expect(granted(closed).map((e) => e.payload['kind'])).toEqual([
        'disability-living-subsidy',
        'disability-nursing-subsidy',
      ]);
      // Granted in one step, both are kept on the case (not the last one only).
      expect(closed.view.entitlement).toMatchObject({
        kind: 'grants',
        grants: [{ kind: 'disability-living-subsidy' }, { kind: 'disability-nursing-subsidy' }],
      });
    },
  },
  {
    name: 'BPS-072 living subsidy granted, nursing refused (grade 3)',
    item: 'BPS-072',
    decide: at(
      'decision',
      {
        outcome: 'approve',
        parts: { living: { outcome: 'approve' }, nursing: { outcome: 'reject', reasonCode: 'NOT_SEVERE_DISABILITY' } },
      },
      at('certificate-verification', { outcome: 'approve', findings: { disabilityGrade: 3 } }),
    ),
    end: 'approved',
    check: (closed) => {
      expect(granted(closed).map((e) => e.payload['kind'])).toEqual(['disability-living-subsidy']);
      const recorded = closed.events.find((e) => e.type === 'DECISION_RECORDED' && e.payload['step'] === 'decision');
      expect(recorded?.payload['parts']).toEqual({
        living: { outcome: 'approved' },
        nursing: { outcome: 'rejected', reasonCode: 'NOT_SEVERE_DISABILITY' },
      });
    },
  },
  {
    name: 'BPS-072 neither subsidy granted',
    item: 'BPS-072',
    decide: at('decision', {
      outcome: 'reject',
      reasonCode: 'NOT_IN_MINIMUM_LIVING_HOUSEHOLD',
      parts: {
        living: { outcome: 'reject', reasonCode: 'NOT_IN_MINIMUM_LIVING_HOUSEHOLD' },
        nursing: { outcome: 'reject', reasonCode: 'RECEIVES_HIGHER_SIMILAR_ALLOWANCE' },
      },
    }),
    end: 'rejected',
    check: (closed) => expect(granted(closed)).toEqual([]),
  },
  // 一次性告知, for every procedure: returned for missing material, supplemented over the portal, then approved.
  ...Object.keys(ITEMS).map((item): Path => ({
    name: `${item} returned for material, supplemented, approved`,
    item,
    decide: returnOnce(
      item === 'BPS-072'
        ? at('decision', {
            outcome: 'approve',
            parts: { living: { outcome: 'approve' }, nursing: { outcome: 'approve' } },
          })
        : approveOrPay,
    ),
    end: 'approved',
    check: (closed) =>
      expect(types(closed)).toEqual(expect.arrayContaining(['APPLICANT_NOTIFIED', 'SUPPLEMENT_RECEIVED'])),
  })),
  // 公示: an objection upheld sends the case back to be checked again; not upheld, the case goes on.
  ...(['upheld', 'not-upheld'] as const).flatMap((outcome) =>
    ['BPS-064', 'BPS-066', 'BPS-069'].map((item): Path => ({
      name: `${item} objection during the public notice ${outcome}, then approved`,
      item,
      object: true,
      decide: objectionDecided(outcome),
      end: 'approved',
      check: (closed) => {
        expect(types(closed).filter((t) => t === 'OBJECTION_DECIDED')).toHaveLength(1);
        const notices = types(closed).filter((t) => t === 'NOTICE_PUBLISHED').length;
        expect([outcome, notices >= (outcome === 'upheld' ? 2 : 1)]).toEqual([outcome, true]);
      },
    })),
  ),
  // 失业保险金 (version 2): nobody reports a stop, so the case stays in payment until the benefit period ends.
  {
    name: 'BPS-032 paid until the benefit period ends',
    item: 'BPS-032',
    waitAt: 'benefit-stop',
    end: 'approved',
    check: (closed) => {
      const period = closed.clocks.find((c) => c.clock === 'benefit-period');
      expect(period).toMatchObject({ kind: 'period' });
      expect(closed.events.some((e) => e.type === 'DECISION_RECORDED' && e.payload['step'] === 'benefit-stop')).toBe(
        false,
      );
    },
  },
  {
    name: 'BPS-032 benefit stopped on re-employment',
    item: 'BPS-032',
    end: 'approved',
    check: (closed) => {
      const stop = closed.events.find((e) => e.type === 'DECISION_RECORDED' && e.payload['step'] === 'benefit-stop');
      expect(stop?.payload).toMatchObject({ outcome: 'rejected', reasonCode: 'STOP_REEMPLOYED' });
      expect(closed.clocks.find((c) => c.clock === 'benefit-period')).toMatchObject({ state: 'stopped' });
    },
  },
  // 失业保险金 (version 3): a prison sentence served stops the benefit (失业保险条例 art. 15, a ground art. 51 lacks).
  {
    name: 'BPS-032 benefit stopped on a prison sentence (v3)',
    item: 'BPS-032',
    decide: (task) =>
      task.step === 'benefit-stop'
        ? {
            outcome: 'reject',
            reasonCode: 'STOP_IMPRISONED',
            findings: { stopEventOn: '2026-05-04', reportedOn: '2026-05-11' },
          }
        : approveOrPay(task),
    end: 'approved',
    check: (closed) => {
      const stop = closed.events.find((e) => e.type === 'DECISION_RECORDED' && e.payload['step'] === 'benefit-stop');
      expect(stop?.payload).toMatchObject({ outcome: 'rejected', reasonCode: 'STOP_IMPRISONED' });
      expect(closed.clocks.find((c) => c.clock === 'benefit-period')).toMatchObject({ state: 'stopped' });
    },
  },
  // Refused at the approving level, after the 公示: the district bureau decides (the street serves the notice).
  ...(
    [
      ['BPS-064', 'approval'],
      ['BPS-066', 'confirmation'],
      ['BPS-069', 'approval'],
      ['BPS-060', 'housing-review'],
      ['BPS-032', 'review'],
    ] as const
  ).map(([item, step]): Path => ({
    name: `${item} refused at the ${step} step`,
    item,
    decide: at(step, (task) => ({ outcome: 'reject', reasonCode: task.rejectReasons[0] })),
    end: 'rejected',
    check: (closed) => {
      const refusal = closed.view.tasks.find((t) => t.step === step);
      expect([step, refusal?.level]).toEqual([step, 'district']);
      expect(closed.events.some((e) => e.type === 'DECISION_RECORDED' && e.payload['outcome'] === 'rejected')).toBe(
        true,
      );
    },
  })),
  // 低保: the 30 working days extended once to 45 with a reason (民发〔2021〕57号), then approved.
  {
    name: 'BPS-064 overall limit extended during the investigation, then approved',
    item: 'BPS-064',
    extendAt: 'investigation',
    end: 'approved',
    check: (closed) => {
      expect(types(closed)).toEqual(expect.arrayContaining(['EXTENSION_REQUESTED', 'EXTENSION_GRANTED']));
      const overall = (closed.view as unknown as { clocks: { clock: string; limitAmount: number }[] }).clocks.find(
        (c) => c.clock === 'overall',
      );
      expect(overall?.limitAmount).toBe(45);
    },
  },
  // 临时救助: one approval, paid in instalments; a failed transfer is paid again, the applicant told.
  {
    name: 'BPS-069 paid in two instalments by the payment runs after one returned transfer',
    item: 'BPS-069',
    decide: at('approval', { outcome: 'approve', amountFen: 200_000, instalments: 2 }),
    returnFirstPayment: true,
    end: 'approved',
    check: (closed) => {
      // The payment run is the one payer (docs/money.md): no payment task; the bank's answers move the case.
      expect(closed.view.tasks.filter((t) => t.step === 'payment')).toEqual([]);
      expect(closed.events.filter((e) => e.type === 'APPLICANT_NOTIFIED').map((e) => e.payload['template'])).toContain(
        'payment-failed',
      );
      // The carried first instalment and the second are paid in the same run: the engine takes them in either order.
      const answers = closed.events
        .filter((e) => e.type === 'PAYMENT_CONFIRMED' || e.type === 'PAYMENT_FAILED')
        .map((e) => [e.type, e.actor, (e.payload['event'] as { instalment: number }).instalment]);
      expect([answers[0], answers.slice(1).sort()]).toEqual([
        ['PAYMENT_FAILED', 'system:payments', 1],
        [
          ['PAYMENT_CONFIRMED', 'system:payments', 1],
          ['PAYMENT_CONFIRMED', 'system:payments', 2],
        ],
      ]);
      expect(granted(closed).map((e) => e.payload['amountFen'])).toEqual([200_000]);
    },
  },
  // Refusals at the level the regulation names (docs/procedures.md): the street proposes, the district refuses (the
  // applicant told why) or sends the case back to the street, which then goes on to approval.
  ...DISTRICT_DECIDES_REFUSAL.flatMap((item): Path[] => [
    {
      name: `${item} refusal proposed by the street, refused by the district`,
      item,
      decide: districtDecidesProposal('reject'),
      end: 'rejected',
      check: refusedAtDistrict,
    },
    {
      name: `${item} refusal proposed by the street, sent back by the district, then approved`,
      item,
      decide: districtDecidesProposal('approve'),
      end: 'approved',
      check: sentBackByDistrict,
    },
  ]),
  // After a refusal: the legal-aid objection to the justice bureau (法律援助法 art. 49) and the 公租房 re-review (复核),
  // filed over the portal within their windows; upheld, the case goes on to approval; not upheld, the refusal stands.
  ...(
    [
      ['BPS-071', 'review', 'objection-review'],
      ['BPS-060', 'housing-review', 're-review'],
    ] as const
  ).flatMap(([item, step, objectionStep]) =>
    (['upheld', 'not-upheld'] as const).map((outcome): Path => ({
      name: `${item} refused at the ${step} step, objection ${outcome}`,
      item,
      decide: refusedThenObjection(step, outcome),
      objectAfterRefusal: true,
      end: outcome === 'upheld' ? 'approved' : 'rejected',
      check: (closed) => {
        expect(types(closed).filter((t) => t === 'OBJECTION_FILED')).toHaveLength(1);
        const decided = closed.events.filter((e) => e.type === 'OBJECTION_DECIDED');
        expect(decided.map((e) => (e.payload['event'] as { upheld?: boolean }).upheld)).toEqual([outcome === 'upheld']);
        expect(closed.view.tasks.filter((t) => t.step === objectionStep).map((t) => t.level)).toEqual(['district']);
        const told = closed.events.filter((e) => e.type === 'APPLICANT_NOTIFIED').map((e) => e.payload['template']);
        expect(told.includes('objection-rejected')).toBe(outcome === 'not-upheld');
        if (item === 'BPS-060' && outcome === 'upheld') HOUSED['BPS-060']!(closed);
      },
    })),
  ),
  // 法律援助法 art. 43 para. 2: material asked for that never comes; the supplement window lapses once, on its own.
  {
    name: 'BPS-071 returned for material that never comes, deemed withdrawn',
    item: 'BPS-071',
    decide: at('review', { outcome: 'return', missingMaterials: ['legal-matter-documents'] }),
    neverSupplement: true,
    end: 'deemed-withdrawn',
    check: (closed) => {
      const lapses = closed.events.filter((e) => e.type === 'SUPPLEMENT_LAPSED');
      expect(lapses.map((e) => e.actor)).toEqual(['system:timer']);
      expect(closed.events.filter((e) => e.type === 'APPLICANT_NOTIFIED').map((e) => e.payload['template'])).toEqual([
        'missing-materials',
        'deemed-withdrawn',
      ]);
      expect(types(closed)).not.toContain('SUPPLEMENT_RECEIVED');
      const window = closed.clocks.find((c) => c.clock === 'supplement-window');
      expect([window?.kind, window?.endedAt !== null]).toEqual(['period', true]);
    },
  },
];

describe('acceptance: every final state of every procedure machine, over HTTP', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let gateway: NestFastifyApplication;
  let travel: TimeTravel;
  let base: string;
  let apiKey: string;
  let housingAuthority: StaffToken;
  let subjects = 0;
  /** `procedure/outcome` of every end a path reached. */
  const reached = new Set<string>();

  beforeAll(async () => {
    env = await createTestEnvironment('acceptance every final state', { HEARTBEAT_EVERY_MS: '60000' });
    const clock = new ManualClock(new Date(TEST_CLOCK_START));
    gateway = await createGateway(env.config, { clock });
    base = await listen(gateway);
    // 失业保险金 needs the Urumqi minimum wage, which no source gives (docs/domain.md §7.5): an operator publishes
    // it before the worker starts (and reads the parameters in force).
    const operator = await staffToken(env.env, 'acceptance-operator', {
      level: 'city',
      divisions: ['650100'],
      roles: ['operator'],
    });
    const published = await post('/v1/catalog/parameters', operator, {
      key: 'unemployment-benefit.minimum-wage',
      value: MINIMUM_WAGE_FEN,
      validFrom: toShanghaiDate(clock.now()),
      source: 'acceptance test publication',
      evidence: 'G',
      reason: 'the figure is not in the sources; operators publish it',
    });
    expect([published.status, published.body?.detail]).toEqual([201, undefined]);
    // The walks run business time past the test calendar's 2026 (benefit periods, 公租房 leases): an operator
    // publishes the following years as provisional from their drafts (docs/calendars.md), so working-day clocks there
    // have due dates and fire.
    for (const year of [2027, 2028, 2029, 2030]) {
      const draft = await post(`/v1/calendar/${year}/draft`, operator, {});
      expect([year, draft.status]).toEqual([year, 200]);
      for (const layer of [draft.body.national, draft.body.xinjiang]) {
        const put = await api(`/v1/calendar/${year}`, operator, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(layer),
        });
        expect([year, layer.region, put.status]).toEqual([year, layer.region, 200]);
      }
    }
    worker = await createWorker(env.config, { clock });
    travel = await TimeTravel.start(env, worker, clock);
    ({ apiKey } = await givenPortal(env, { items: Object.keys(ITEMS) }));
    housingAuthority = await staffToken(env.env, 'housing-authority', {
      department: 'housing-urban-rural',
      level: 'district',
      divisions: ['650102'],
    });
  });
  afterAll(async () => {
    await travel?.close();
    await gateway?.close();
    await worker?.close();
    await env?.teardown();
  });

  const api = (path: string, who: StaffToken, init: RequestInit = {}) =>
    getJson(`${base}${path}`, { ...init, headers: { ...who.headers, ...(init.headers ?? {}) } });
  const post = (path: string, who: StaffToken, body: unknown) =>
    api(path, who, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const portalPost = (path: string, body: unknown) =>
    getJson(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });

  /** A reviewer of the office, new for every decision: nobody decides two steps of a case. */
  const reviewerOf = (office: { departmentCode: string; level: string; divisionCode: string }) =>
    staffToken(env.env, `acceptance-${(subjects += 1)}`, {
      department: office.departmentCode,
      level: office.level,
      divisions: [office.divisionCode],
    });

  /** A complete application for the item: the required materials, a bank account where one is needed. */
  function application(item: string, details?: Body) {
    const catalog = getServiceItem(item);
    const template = minimumLivingApplication();
    const materials = catalog.requiredMaterials.map(({ material }, i) => ({
      type: material,
      fileName: `${material}.pdf`,
      sha256: '0123456789abcdef'[i % 16]!.repeat(64),
      reference: `oss://portal/${material}`,
    }));
    return {
      ...template,
      itemCode: item,
      materials:
        item === 'BPS-060'
          ? [...template.materials, HOUSING_MATERIAL]
          : materials.length
            ? materials
            : template.materials,
      ...(ITEMS[item]?.details ? { details: details ?? ITEMS[item].details } : {}),
      ...(catalog.requiredMaterials.some((m) => m.material === 'bank-account')
        ? { bankAccount: { bankName: '新疆银行', accountHolder: '张三', accountNumber: '6222020200112233445' } }
        : {}),
    };
  }

  /**
   * The month's payment run (docs/money.md "临时救助: one payer, in instalments"): opened by finance (or the one open
   * already), every pending line exported and answered paid, except the case's first line when `returnOne` (then
   * the street office corrects the account, and the next run carries it). Then a month passes. Answers whether a
   * line was returned.
   */
  async function payThroughRun(caseId: string, returnOne: boolean): Promise<boolean> {
    const finance = await staffToken(env.env, `acceptance-finance-${(subjects += 1)}`, {
      level: 'city',
      divisions: ['650100'],
      roles: ['finance', 'operator'],
    });
    const month = toShanghaiDate(travel.clock.now()).slice(0, 7);
    const opened = await post('/v1/payment-runs', finance, { month });
    expect([month, opened.status]).toEqual([month, 200]);
    // The harness relays the outbox by hand: the run's build job goes out here.
    await travel.settle();
    let run: any;
    for (let i = 0; i < 600; i++) {
      run = (await api(`/v1/payment-runs/${opened.body.id}`, finance)).body;
      if (run.state !== 'building') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const ids: string[] = [];
    for (const group of run.totals.byDistrictAndBank as { district: string; bank: string }[]) {
      const file = await fetch(
        `${base}/v1/payment-runs/${run.id}/export?district=${group.district}&bank=${encodeURIComponent(group.bank)}`,
        { headers: finance.headers },
      );
      for (const row of (await file.text()).trim().split('\r\n').slice(1, -1)) ids.push(row.split(',')[0]!);
    }
    const ofCase = (
      await env.db.query(
        `SELECT l.id FROM payment_lines l JOIN entitlements e ON e.id = l.entitlement_id
         WHERE e.case_id = $1 AND l.id = ANY($2::uuid[]) ORDER BY l.month`,
        [caseId, ids],
      )
    ).rows.map((r) => String(r.id));
    const returned = returnOne ? ofCase.slice(0, 1) : [];
    if (ids.length > 0) {
      const answer = await post(`/v1/payment-runs/${run.id}/results`, finance, {
        file: [
          'line_id,outcome,reason',
          ...ids.map((id) => (returned.includes(id) ? `${id},returned,wrong-account` : `${id},paid,`)),
        ].join('\r\n'),
      });
      expect([month, answer.status]).toEqual([month, 200]);
    }
    await travel.settle();
    for (const lineId of returned) {
      const corrected = await post(`/v1/payment-lines/${lineId}/correction`, finance, {});
      expect([lineId, corrected.status]).toEqual([lineId, 200]);
    }
    // The next month's run pays the next instalment (and the corrected line); a case paid in full moves no time.
    const { rows } = await env.db.query(`SELECT closed_at FROM cases WHERE id = $1`, [caseId]);
    if (rows[0]?.closed_at !== null && returned.length === 0) return false;
    const [year, m] = month.split('-').map(Number) as [number, number];
    await travel.advanceTo(new Date(Date.UTC(m === 12 ? year + 1 : year, m === 12 ? 0 : m, 10, 1)));
    return returned.length > 0;
  }

  /**
   * Submits the path's application and drives it until it closes: decides each open task as the path says (by a
   * reviewer of the task's office), allocates on the waiting list, and lets a week pass when nothing is open (a 公示 or
   * a window runs). With `stopAt`, returns as soon as a task of that step is open, undecided.
   */
  async function walk(
    path: Path,
    stopAt?: string,
    stopAtStatus?: string,
  ): Promise<ClosedCase & { outcome: string; caseId: string; openTaskId?: string }> {
    const submitted = await portalPost('/v1/applications', application(path.item, path.details));
    expect([path.name, submitted.status, submitted.body?.errors]).toEqual([path.name, 202, undefined]);
    const { caseId, leadDepartment, acceptingOffice, approvingOffice } = submitted.body as {
      caseId: string;
      leadDepartment: string;
      acceptingOffice: { level: string; divisionCode: string };
      approvingOffice: { level: string; divisionCode: string };
    };
    await travel.settle();
    const observers = [
      await reviewerOf({ departmentCode: leadDepartment, level: 'street', divisionCode: acceptingOffice.divisionCode }),
      await reviewerOf({
        departmentCode: leadDepartment,
        level: 'district',
        divisionCode: approvingOffice.divisionCode,
      }),
    ];
    const view = async () => {
      for (const who of observers) {
        const answer = await api(`/v1/staff/cases/${caseId}`, who);
        if (answer.status === 200) return { who, body: answer.body };
      }
      throw new Error(`${path.name}: no office of ${leadDepartment} sees case ${caseId}`);
    };

    if (path.withdraw) {
      const answer = await portalPost(`/v1/cases/${caseId}/withdrawal`, { reason: 'applicant-request' });
      expect([path.name, answer.status]).toEqual([path.name, 202]);
      await travel.settle();
    }
    let decisions = 0;
    let returned = false;
    let objected = false;
    let extended = false;
    for (let round = 0; ; round++) {
      if (round === MAX_ROUNDS) throw new Error(`${path.name}: case ${caseId} never closed`);
      const { body } = await view();
      if (body.closedAt !== null) break;
      if (body.status === stopAtStatus) return { outcome: '', caseId, view: body, events: [], clocks: [] };
      if (body.status === 'awaiting-applicant' && !path.neverSupplement) {
        const answer = await portalPost(`/v1/cases/${caseId}/supplements`, {
          materials: [{ type: 'income-proof', fileName: 'income.pdf', sha256: 'e'.repeat(64), reference: 'oss://s' }],
        });
        expect([path.name, answer.status]).toEqual([path.name, 202]);
        await travel.settle();
        continue;
      }
      if (path.object && !objected && body.status === 'public-notice') {
        objected = true;
        const answer = await portalPost(`/v1/cases/${caseId}/objections`, { reason: 'income-understated' });
        expect([path.name, answer.status]).toEqual([path.name, 202]);
        await travel.settle();
        continue;
      }
      if (path.objectAfterRefusal && !objected && body.status === 'rejected') {
        objected = true;
        const answer = await portalPost(`/v1/cases/${caseId}/objections`, { reason: 'other' });
        expect([path.name, answer.status]).toEqual([path.name, 202]);
        await travel.settle();
        continue;
      }
      if (body.status === 'waiting-list') {
        const answer = await post(`/v1/staff/cases/${caseId}/allocation`, housingAuthority, {
          unit: 'flat-12-3-501',
          lease: 'lease-2026-0001',
          // A short lease (at most 5 years), so that its end, which closes the case, comes within the walk.
          leaseMonths: 2,
        });
        expect([path.name, answer.status]).toEqual([path.name, 202]);
        await travel.settle();
        continue;
      }
      const open = (body.tasks as TaskView[]).find((t) => t.closedAt === null && t.kind !== 'escalation');
      if (open === undefined && body.status === 'in-payment') {
        // 临时救助 (v3): nobody decides a payment; the month's payment run pays and the bank's file answers.
        returned = await payThroughRun(caseId, path.returnFirstPayment === true && !returned);
        continue;
      }
      if (open === undefined || open.step === path.waitAt) {
        // Nothing to decide: a period runs (公示, an objection, re-review or supplement window). Time passes to the
        // end of the first running period the case shows, or a week when it shows none.
        const { who } = await view();
        const clocks = (await api(`/v1/staff/cases/${caseId}/clocks`, who)).body.clocks as ClockView[];
        const ends = clocks
          .filter((c) => c.kind === 'period' && c.state === 'on-time' && c.dueAt !== null)
          .map((c) => Date.parse(c.dueAt!));
        const now = travel.clock.now().getTime();
        await travel.advanceTo(new Date(ends.length === 0 ? now + 7 * DAY : Math.max(now, Math.min(...ends))));
        continue;
      }
      if (open.step === stopAt) {
        return { outcome: '', caseId, openTaskId: open.id, view: body, events: [], clocks: [] };
      }
      if (open.step === path.extendAt && !extended) {
        extended = true;
        const supervisor = await staffToken(env.env, `acceptance-supervisor-${(subjects += 1)}`, {
          department: open.departmentCode,
          level: open.level,
          divisions: [open.divisionCode],
          roles: ['supervisor'],
        });
        const answer = await post(`/v1/staff/cases/${caseId}/extension`, supervisor, {
          reason: 'household members registered in two districts',
        });
        expect([path.name, answer.status]).toEqual([path.name, 202]);
        await travel.settle();
      }
      const reviewer = await reviewerOf(open);
      const task = (await api(`/v1/tasks/${open.id}`, reviewer)).body.task as TaskDetail;
      const decision = (path.decide ?? approveOrPay)(task) ?? approveOrPay(task);
      const answer = await post(`/v1/tasks/${open.id}/decision`, reviewer, decision);
      expect([path.name, task.step, answer.status, answer.body?.detail]).toEqual([
        path.name,
        task.step,
        202,
        undefined,
      ]);
      decisions += 1;
      await travel.settle();
    }

    const { who, body: closedView } = await view();
    const events = (await api(`/v1/staff/cases/${caseId}/events`, who)).body.items as ClosedCase['events'];
    const closing = events.filter((e) => e.type === 'CASE_CLOSED');
    expect([path.name, closing.length]).toEqual([path.name, 1]);
    const outcome = String(closing[0]!.payload['outcome']);
    // Every decision was taken by the engine (none refused and reopened), and the log's chain is intact.
    expect([path.name, events.filter((e) => e.type === 'COMMAND_REFUSED')]).toEqual([path.name, []]);
    expect([path.name, events.filter((e) => e.type === 'DECISION_SUBMITTED').length]).toEqual([path.name, decisions]);
    expect((await api(`/v1/staff/cases/${caseId}/verify`, who)).body).toMatchObject({ ok: true });
    // Every task sat at the office of its level: the accepting street office, or the approving district.
    for (const task of closedView.tasks as TaskView[]) {
      const office =
        task.level === 'district'
          ? approvingOffice.divisionCode
          : task.level === 'city'
            ? '650100'
            : acceptingOffice.divisionCode;
      expect([path.name, task.step, task.divisionCode]).toEqual([path.name, task.step, office]);
    }
    // Closing the case stopped every clock it ran (a deadline stopped, a period stopped or ended), none later.
    const clocks = (await api(`/v1/staff/cases/${caseId}/clocks`, who)).body.clocks as ClockView[];
    for (const clock of clocks) {
      const end = clock.stoppedAt ?? clock.endedAt;
      expect([path.name, clock.clock, end !== null && end <= closedView.closedAt]).toEqual([
        path.name,
        clock.clock,
        true,
      ]);
    }
    // Every amount names the published value in force on the day its rule uses (docs/domain.md §7.1): the same
    // value the catalog API answers for that day.
    const entitlement = closedView.entitlement as StoredAmount | null;
    const grants = (entitlement?.['grants'] as StoredAmount[] | undefined) ?? (entitlement ? [entitlement] : []);
    for (const source of grants.flatMap((g) => g.parameterSources ?? [])) {
      const catalog = await getJson(
        `${base}/v1/catalog/parameters?key=${encodeURIComponent(source.key)}&at=${source.on}`,
      );
      expect([path.name, source.key, catalog.body.items?.[0]?.inForce?.value]).toEqual([
        path.name,
        source.key,
        source.value,
      ]);
    }
    return { outcome, caseId, view: closedView, events, clocks };
  }

  it.each(PATHS.map((path) => [path.name, path] as const))('%s', async (_, path) => {
    const closed = await walk(path);
    const procedure = ITEMS[path.item]!.procedure;
    expect([path.name, closed.outcome]).toEqual([path.name, path.end]);
    const final = finalStatesOf(
      PROCEDURE_VERSIONS[procedure as keyof typeof PROCEDURE_VERSIONS][
        Math.max(...versionsFor(procedure as keyof typeof PROCEDURE_VERSIONS))
      ]!.machine,
    ).find((end) => end.outcome === closed.outcome);
    expect([path.name, closed.view.status]).toEqual([path.name, final?.status]);
    if (closed.outcome === 'approved') {
      // The amount the procedure computes, or none where it computes none.
      const amount = AMOUNTS[path.item];
      if (amount) amount(closed.view.entitlement!, closed);
      else expect([path.name, closed.view.entitlement?.['amountFen'] ?? null]).toEqual([path.name, null]);
      // The overall limit (低保, 临时救助) stopped at the approval: when the case closed (低保), or before the
      // payment runs paid the instalments (临时救助 v3, docs/money.md).
      const overall = closed.clocks.find((c) => c.clock === 'overall');
      const stopped = overall?.stoppedAt ?? null;
      expect([path.name, overall?.state, stopped !== null && stopped <= closed.view.closedAt]).toEqual(
        ['BPS-064', 'BPS-069'].includes(path.item) ? [path.name, 'stopped', true] : [path.name, undefined, false],
      );
      if (path.item === 'BPS-064') expect([path.name, stopped]).toEqual([path.name, closed.view.closedAt]);
    }
    path.check?.(closed);
    reached.add(`${procedure}/${closed.outcome}`);
  });

  it('两项补贴: an approval without the outcome of each subsidy is 422 naming parts; the task stays open', async () => {
    const path = PATHS.find((p) => p.name === 'BPS-072 both subsidies granted')!;
    const { caseId, openTaskId } = await walk(path, 'decision');
    const reviewer = await reviewerOf({ departmentCode: 'civil-affairs', level: 'district', divisionCode: '650102' });
    const refused = await post(`/v1/tasks/${openTaskId}/decision`, reviewer, {
      outcome: 'approve',
      parts: { living: { outcome: 'approve' } },
    });
    expect([refused.status, refused.body.code, refused.body.field ?? refused.body.errors?.[0]?.field]).toEqual([
      422,
      'DECISION.INVALID',
      'parts',
    ]);
    // The task names the subsidies to decide; an approval without them is refused before anything is recorded.
    const detail = (await api(`/v1/tasks/${openTaskId}`, reviewer)).body.task as { details: { parts?: string[] } };
    expect(detail.details.parts).toEqual(['living', 'nursing']);
    const bare = await post(`/v1/tasks/${openTaskId}/decision`, reviewer, { outcome: 'approve' });
    expect([bare.status, bare.body.code, bare.body.field ?? bare.body.errors?.[0]?.field]).toEqual([
      422,
      'DECISION.INVALID',
      'parts',
    ]);
    const unknownPart = await post(`/v1/tasks/${openTaskId}/decision`, reviewer, {
      outcome: 'approve',
      parts: { living: { outcome: 'granted' } },
    });
    expect(unknownPart.status).toBe(400);
    const payment = await post(`/v1/tasks/${openTaskId}/decision`, reviewer, { outcome: 'paid' });
    expect([payment.status, payment.body.code]).toEqual([422, 'DECISION.INVALID']);
    await travel.settle();
    const task = (await api(`/v1/tasks/${openTaskId}`, reviewer)).body.task as TaskView;
    expect(task.closedAt).toBeNull();
    const events = (await api(`/v1/staff/cases/${caseId}/events`, reviewer)).body.items as { type: string }[];
    expect(events.map((e) => e.type)).not.toContain('COMMAND_REFUSED');
    // The street check and the certificate verification only: a refused request records nothing.
    expect(events.map((e) => e.type).filter((t) => t === 'DECISION_SUBMITTED')).toHaveLength(2);
  });

  it('公租房: the waiting list puts priority households first; only the district housing office allocates, only from the list', async () => {
    const housing = PATHS.find((p) => p.name === 'BPS-060 withdrawn by the applicant')!;
    // Two households reach the list: the first without priority, then a priority one.
    const onList: string[] = [];
    for (const priorityHousehold of [false, true]) {
      const { caseId } = await walk(
        { ...housing, withdraw: false, details: { priorityHousehold } },
        'never',
        'waiting-list',
      );
      onList.push(caseId);
    }
    const list = await api('/v1/staff/cases/waiting-list?limit=200', housingAuthority);
    expect(list.status).toBe(200);
    const ours = (list.body.items as { id: string; priority: boolean }[]).filter((c) => onList.includes(c.id));
    expect(ours.map((c) => [c.id, c.priority])).toEqual([
      [onList[1], true],
      [onList[0], false],
    ]);

    const street = await staffToken(env.env, 'housing-street', {
      department: 'housing-urban-rural',
      level: 'street',
      divisions: ['650102002'],
    });
    const lease = { unit: 'flat-1-1-101', lease: 'lease-2026-0002' };
    const fromStreet = await post(`/v1/staff/cases/${onList[0]}/allocation`, street, lease);
    expect([fromStreet.status, fromStreet.body.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    const noLease = await post(`/v1/staff/cases/${onList[0]}/allocation`, housingAuthority, { unit: 'flat-1-1-101' });
    expect(noLease.status).toBe(400);
    expect(JSON.stringify(noLease.body)).toContain('lease');
    // A lease runs at most 5 years (住房和城乡建设部令第11号): a longer term is refused, naming the field.
    const tooLong = await post(`/v1/staff/cases/${onList[0]}/allocation`, housingAuthority, {
      ...lease,
      leaseMonths: 61,
    });
    expect([tooLong.status, JSON.stringify(tooLong.body).includes('leaseMonths')]).toEqual([400, true]);
    expect((await post(`/v1/staff/cases/${onList[0]}/allocation`, housingAuthority, lease)).status).toBe(202);
    await travel.settle();
    // Allocated, the lease runs (machine version 3): the case is in lease, and a second allocation is refused.
    const leased = await api(`/v1/staff/cases/${onList[0]}`, housingAuthority);
    expect(leased.body.status).toBe('in-lease');
    const again = await post(`/v1/staff/cases/${onList[0]}/allocation`, housingAuthority, lease);
    expect([again.status, again.body.code]).toEqual([409, 'CASE.WRONG_STATUS']);
    const after = await api('/v1/staff/cases/waiting-list?limit=200', housingAuthority);
    expect((after.body.items as { id: string }[]).map((c) => c.id)).not.toContain(onList[0]);
  });

  it('rebuilds every case these walks left behind from its event log alone, as stored (docs/operations.md "Replay")', async () => {
    const reports: CaseReplayReport[] = [];
    const cipher = new PiiCipher(env.config.pii.encryptionKey, env.config.pii.hashKey);
    for (let page = await replayStoredCases(env.db, cipher, { limit: 200 }); page.length > 0;) {
      reports.push(...page);
      page = await replayStoredCases(env.db, cipher, { afterId: page.at(-1)!.caseId, limit: 200 });
    }
    expect(reports.length).toBeGreaterThan(60);
    const findings = reports.filter((r) => r.verdict !== 'consistent' || r.chain.ok !== true);
    expect(findings.map((r) => [r.trackingNumber, r.verdict, r.divergences, r.problem])).toEqual([]);
  });

  it('publishes an attainment report over these cases that equals a hand count from the database (docs/api.md "Attainment report")', async () => {
    // The portal answers the satisfaction survey for every closed case still within its window (a score by turn).
    const { rows: closedCases } = await env.db.query(`SELECT id FROM cases WHERE closed_at IS NOT NULL ORDER BY id`);
    for (const [index, { id }] of closedCases.entries()) {
      const answer = await portalPost(`/v1/cases/${id}/satisfaction`, { score: (index % 5) + 1, reasons: ['fast'] });
      // Accepted, or refused as past its window: business time has run on since many of these cases closed.
      expect([id, [201, 422].includes(answer.status)]).toEqual([id, true]);
    }

    // The hand count: one row per case, read with SQL of its own, aggregated here.
    const { rows: perCase } = await env.db.query(
      `SELECT c.item_code, substring(c.accepting_division FROM 1 FOR 6) AS district, c.status,
              c.closed_at IS NOT NULL AS closed, c.submitted_at, c.closed_at,
              extract(year FROM c.submitted_at AT TIME ZONE 'Asia/Shanghai')::int AS year,
              (SELECT count(*) FROM case_clocks k
                WHERE k.case_id = c.id AND k.kind = 'deadline' AND k.basis = 'statutory')::int AS statutory,
              (SELECT count(*) FROM case_clocks k
                WHERE k.case_id = c.id AND k.kind = 'deadline' AND k.basis = 'statutory' AND k.breached_at IS NULL
                  AND NOT (k.due_at IS NOT NULL AND k.stopped_at IS NOT NULL AND k.stopped_at > k.due_at))::int AS met,
              (SELECT score FROM case_satisfaction s WHERE s.case_id = c.id) AS score
       FROM cases c`,
    );
    const calendars = await loadCalendarSet({ query: async (sql, params) => (await env.db.query(sql, params)).rows });
    const years = [...new Set(perCase.map((row) => row.year as number))].sort();
    let shown = 0;
    let hidden = 0;
    for (const year of years) {
      const cells = new Map<string, (typeof perCase)[number][]>();
      for (const row of perCase.filter((r) => r.year === year)) {
        const key = `${row.item_code}/${row.district}`;
        cells.set(key, [...(cells.get(key) ?? []), row]);
      }
      const expected = [...cells.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, rows]) => {
          const [item, district] = key.split('/');
          if (rows.length < 5) {
            hidden += 1;
            return expect.objectContaining({ item, district, suppressed: true, applications: null, outcomes: null });
          }
          shown += 1;
          const decided = rows.filter((r) => r.closed && r.status !== 'withdrawn');
          const timed = decided.filter((r) => r.statutory > 0);
          const scores = rows.filter((r) => r.score !== null).map((r) => Number(r.score));
          const days = decided
            .map((r) =>
              workingDaysBetween(calendars, 'xinjiang', toShanghaiDate(r.submitted_at), toShanghaiDate(r.closed_at)),
            )
            .sort((a, b) => a - b);
          const outcomes: Record<string, number> = {};
          for (const r of rows.filter((r) => r.closed)) outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
          return {
            item,
            district,
            suppressed: false,
            applications: rows.length,
            outcomes,
            decided: decided.length,
            decidedWithStatutoryLimit: timed.length,
            withinStatutoryLimitShare:
              timed.length === 0
                ? null
                : Math.round((timed.filter((r) => r.met === r.statutory).length / timed.length) * 10_000) / 10_000,
            medianWorkingDaysToDecision:
              days.length === 0
                ? null
                : days.length % 2 === 1
                  ? days[(days.length - 1) / 2]
                  : (days[days.length / 2 - 1]! + days[days.length / 2]!) / 2,
            satisfactionAverage:
              scores.length === 0 ? null : Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100,
            satisfactionCount: scores.length,
          };
        });
      const report = await getJson(`${base}/v1/public/attainment?year=${year}`);
      expect(report.status).toBe(200);
      expect(report.body).toEqual({ year, suppressionThreshold: 5, cells: expected });
    }
    // Both kinds of cell occur: some pass the threshold, some are suppressed.
    expect([shown > 0, hidden > 0]).toEqual([true, true]);
  });

  it('reached every final state of every machine (derived from the machines), but those listed as not yet', () => {
    const finals = Object.entries(PROCEDURE_VERSIONS).flatMap(([procedure, versions]) =>
      Object.values(versions).flatMap((definition) =>
        finalStatesOf(definition.machine).map((end) => `${procedure}/${end.outcome}`),
      ),
    );
    const unreached = [...new Set(finals)].filter((end) => !reached.has(end)).sort();
    expect(unreached).toEqual(Object.keys(NOT_YET_REACHABLE).sort());
  });
});
