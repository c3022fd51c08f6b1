import { DomainError, type Level } from '@minsheng/domain';
import type { DepartmentCode } from '@minsheng/domain';
import type { CaseOutcome } from './case-status.js';
import type { DecisionOutcome, ObjectionOutcome, PaymentOutcome } from './events.js';
import type { Limit } from './limits.js';

/**
 * Intents: what a procedure says should happen. The machines only name them (XState actions with params and
 * no bodies); the worker turns each one into rows (tasks, timers, notifications, payments, outbox) in the same
 * transaction as the new snapshot (docs/architecture.md invariant 5).
 */

/** What a task asks its reviewer to do. The gateway uses it to pick the decision form and the event to send. */
export const TASK_KINDS = [
  'acceptance', // 受理: complete or not; a return lists the missing material in one go (一次性告知)
  'investigation', // 调查核实 / 家庭经济状况调查
  'assessment', // 民主评议 and other opinions that decide nothing
  'review', // 审核: a proposed decision
  'verification', // a check by another department (e.g. 残联 verifies the disability certificate)
  'decision', // 审批 / 确认 / 认定: the administrative decision
  'objection', // decide an objection: answered by OBJECTION_DECIDED, not DECIDED
  'notice', // serve a written notice
  'assignment', // assign a legal aid worker
  'payment', // pay or hand over help
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** The outcomes a task accepts: decisions for ordinary tasks, upheld / not upheld for objection tasks. */
export type TaskOutcome = DecisionOutcome | ObjectionOutcome | PaymentOutcome;

export interface OpenTaskParams {
  /** The step's stable name within the procedure (`acceptance`, `street-review`); one open task per step. */
  readonly step: string;
  readonly level: Level;
  /** Set only when another department than the item's lead department does the step. */
  readonly department?: DepartmentCode;
  readonly kind: TaskKind;
  readonly outcomes: readonly TaskOutcome[];
  /** The reason codes a rejection at this step may give (empty when the step cannot reject). */
  readonly rejectReasons: readonly string[];
  /** For a payment task: which instalment of how many, and its amount in fen. */
  readonly payment?: { readonly instalment: number; readonly of: number; readonly amountFen: number };
  /** The benefits the decision decides one by one (两项补贴: `living`, `nursing`); an approval gives each its outcome. */
  readonly parts?: readonly string[];
  /** For the district's decision on a street's proposal to refuse: the step, its reason and who proposed it. */
  readonly proposal?: RefusalProposal;
}

/** A street office's proposal to refuse, carried to the district that decides it (社会救助暂行办法 art. 11(3)). */
export interface RefusalProposal {
  readonly step: string;
  readonly reasonCode: string;
  readonly proposedBy: string;
}

export interface CloseTaskParams {
  readonly step: string;
}

/**
 * `deadline` clocks warn and breach (the worker sends CLOCK_BREACHED); `period` clocks are waiting periods such
 * as a public notice, and their end is an ordinary event (NOTICE_PERIOD_ENDED with the clock's name).
 */
export type ClockKind = 'deadline' | 'period';

/**
 * The `period` clock of the time an applicant has to supply missing material (补正). Its end is not
 * NOTICE_PERIOD_ENDED but SUPPLEMENT_LAPSED: the worker's timer sends that event when this clock runs out, and
 * the procedure says what a lapse means (法律援助法 art. 43 para. 2: deemed withdrawn). A supplement that arrives
 * first leaves the waiting state, which stops the clock, so the timer finds it stopped and sends nothing.
 */
export const SUPPLEMENT_WINDOW_CLOCK = 'supplement-window';

export interface StartClockParams {
  /** `overall` for the case's total limit, otherwise the step (or period) it measures. */
  readonly clock: string;
  readonly kind: ClockKind;
  readonly limit: Limit;
}

export interface ClockParams {
  readonly clock: string;
}

export interface ExtendClockParams {
  readonly clock: string;
  /** The new total amount, in the clock's unit (e.g. 30 → 45 working days). */
  readonly toAmount: number;
  readonly reason: string;
  readonly actor: string;
  readonly source: Limit['source'];
}

export const NOTICE_TEMPLATES = [
  'missing-materials', // 一次性告知: everything missing, in one notice
  'approved',
  'rejected',
  'withdrawal-confirmed',
  'deemed-withdrawn', // 视为撤回 (法律援助法 art. 43)
  'emergency-relief-given', // 先行救助
  'provisional-aid-assigned', // 先行提供法律援助 (法律援助法 art. 44)
  'qualified-waiting-list', // 公租房: registered for the waiting list (轮候)
  'objection-rejected',
  'payment-failed', // 临时救助: an instalment could not be paid; the applicant checks the account given
] as const;
export type NoticeTemplate = (typeof NOTICE_TEMPLATES)[number];

export interface NotifyApplicantParams {
  readonly template: NoticeTemplate;
  readonly step?: string;
  readonly reasonCode?: string;
  readonly missingMaterials?: readonly string[];
  /** Per-part outcomes of a decision covering several benefits (e.g. the two disability subsidies). */
  readonly parts?: Readonly<Record<string, PartDecision>>;
}

export interface PartDecision {
  readonly outcome: 'approved' | 'rejected';
  readonly reasonCode?: string;
}

/** 公示 (a proposed decision, open to objections) or 公布 (the result, after approval). */
export interface PublishNoticeParams {
  readonly notice: 'public-notice' | 'publication';
  readonly step: string;
  readonly level: Level;
}

export interface RecordDecisionParams {
  readonly step: string;
  readonly outcome: 'approved' | 'rejected';
  readonly actor: string;
  readonly reasonCode?: string;
  readonly parts?: Readonly<Record<string, PartDecision>>;
}

export interface GrantEntitlementParams {
  /** e.g. `minimum-living-allowance`, `disability-nursing-subsidy`, or a general-review item's entitlement. */
  readonly kind: string;
  readonly amountFen?: number;
  readonly instalments?: number;
  /**
   * 临时救助 from machine v3: the amount of each instalment the payment run pays, one a month from the approval's
   * month (docs/money.md). Absent in older versions, whose payment tasks pay instead.
   */
  readonly instalmentsFen?: readonly number[];
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export interface CloseCaseParams {
  readonly outcome: CaseOutcome;
}

/** Every intent a machine may emit, as the worker receives it. */
export type Intent =
  | { readonly type: 'openTask'; readonly params: OpenTaskParams }
  | { readonly type: 'closeTask'; readonly params: CloseTaskParams }
  | { readonly type: 'startClock'; readonly params: StartClockParams }
  | { readonly type: 'pauseClock'; readonly params: ClockParams }
  | { readonly type: 'resumeClock'; readonly params: ClockParams }
  | { readonly type: 'stopClock'; readonly params: ClockParams }
  | { readonly type: 'extendClock'; readonly params: ExtendClockParams }
  | { readonly type: 'notifyApplicant'; readonly params: NotifyApplicantParams }
  | { readonly type: 'publishNotice'; readonly params: PublishNoticeParams }
  | { readonly type: 'recordDecision'; readonly params: RecordDecisionParams }
  | { readonly type: 'grantEntitlement'; readonly params: GrantEntitlementParams }
  | { readonly type: 'closeCase'; readonly params: CloseCaseParams };

export type IntentType = Intent['type'];

export const INTENT_TYPES = [
  'openTask',
  'closeTask',
  'startClock',
  'pauseClock',
  'resumeClock',
  'stopClock',
  'extendClock',
  'notifyApplicant',
  'publishNotice',
  'recordDecision',
  'grantEntitlement',
  'closeCase',
] as const satisfies readonly IntentType[];

/**
 * The intent names with their params, for `setup({ actions })`. The bodies are empty on purpose: machines are
 * run with `transition()`, which executes nothing, and the worker carries the intents out.
 */
export const intentActions = {
  openTask: (_: unknown, _params: OpenTaskParams) => undefined,
  closeTask: (_: unknown, _params: CloseTaskParams) => undefined,
  startClock: (_: unknown, _params: StartClockParams) => undefined,
  pauseClock: (_: unknown, _params: ClockParams) => undefined,
  resumeClock: (_: unknown, _params: ClockParams) => undefined,
  stopClock: (_: unknown, _params: ClockParams) => undefined,
  extendClock: (_: unknown, _params: ExtendClockParams) => undefined,
  notifyApplicant: (_: unknown, _params: NotifyApplicantParams) => undefined,
  publishNotice: (_: unknown, _params: PublishNoticeParams) => undefined,
  recordDecision: (_: unknown, _params: RecordDecisionParams) => undefined,
  grantEntitlement: (_: unknown, _params: GrantEntitlementParams) => undefined,
  closeCase: (_: unknown, _params: CloseCaseParams) => undefined,
} satisfies Record<IntentType, (args: unknown, params: never) => undefined>;

const KNOWN: ReadonlySet<string> = new Set(INTENT_TYPES);

export const INTENT_ERRORS = {
  unknownAction: 'WORKFLOW.UNKNOWN_ACTION',
  missingParams: 'WORKFLOW.INTENT_WITHOUT_PARAMS',
} as const;

/**
 * The intents of the actions XState's `transition()` / `initialTransition()` returned, as plain `{ type, params }`
 * objects in order. An action that is not an intent throws `WORKFLOW.UNKNOWN_ACTION`, so a machine can never
 * silently ask for something the worker would drop.
 */
export function intentsOf(actions: readonly { readonly type: string; readonly params?: unknown }[]): Intent[] {
  return actions.map((action, index) => {
    if (!KNOWN.has(action.type)) {
      throw new DomainError(INTENT_ERRORS.unknownAction, `action ${action.type} is not an intent`, {
        field: `actions[${index}].type`,
        type: action.type,
      });
    }
    if (typeof action.params !== 'object' || action.params === null) {
      throw new DomainError(INTENT_ERRORS.missingParams, `intent ${action.type} has no params`, {
        field: `actions[${index}].params`,
        type: action.type,
      });
    }
    return { type: action.type, params: action.params } as Intent;
  });
}

/*
 * Builders for the static intents of a machine config, so a state reads like the step it models:
 * `entry: [openTask(ACCEPTANCE), startClock('overall', OVERALL_LIMIT)]`.
 */

export function openTask(params: OpenTaskParams) {
  return { type: 'openTask', params } as const;
}

export function closeTask(step: string) {
  return { type: 'closeTask', params: { step } } as const;
}

export function startClock(clock: string, limit: Limit, kind: ClockKind = 'deadline') {
  return { type: 'startClock', params: { clock, kind, limit } } as const;
}

export function pauseClock(clock: string) {
  return { type: 'pauseClock', params: { clock } } as const;
}

export function resumeClock(clock: string) {
  return { type: 'resumeClock', params: { clock } } as const;
}

export function stopClock(clock: string) {
  return { type: 'stopClock', params: { clock } } as const;
}

export function notifyApplicant(params: NotifyApplicantParams) {
  return { type: 'notifyApplicant', params } as const;
}

export function publishNotice(params: PublishNoticeParams) {
  return { type: 'publishNotice', params } as const;
}

export function grantEntitlement(params: GrantEntitlementParams) {
  return { type: 'grantEntitlement', params } as const;
}

export function closeCase(outcome: CaseOutcome) {
  return { type: 'closeCase', params: { outcome } } as const;
}
