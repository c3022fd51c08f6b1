/**
 * The events every procedure understands. They come from the database (the case's event log), so their shape is
 * checked by the machines' guards, never trusted: an event a state does not accept changes nothing, and the worker
 * refuses such a "no transition" as a conflict.
 */

export const DECISION_OUTCOMES = ['approve', 'reject', 'return'] as const;
/** `return` sends the application back for missing material (一次性告知) and pauses the clocks. */
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** A payment task's outcomes: the instalment was paid (PAYMENT_CONFIRMED) or the transfer failed (PAYMENT_FAILED). */
export const PAYMENT_OUTCOMES = ['paid', 'payment-failed'] as const;
export type PaymentOutcome = (typeof PAYMENT_OUTCOMES)[number];

export const OBJECTION_OUTCOMES = ['upheld', 'not-upheld'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];

/** The application reached the office (portal, window or a committee on the applicant's behalf). */
export interface SubmittedEvent {
  readonly type: 'SUBMITTED';
  readonly actor?: string;
}

/** A reviewer decided the task of `step`. Fields beyond `outcome` are read only by the steps that need them. */
export interface DecidedEvent {
  readonly type: 'DECIDED';
  readonly step: string;
  readonly outcome: DecisionOutcome;
  readonly actor: string;
  /** Required for `reject`: one of the step's reason codes. */
  readonly reasonCode?: string;
  /** Required for `return`: every missing material, in one go. */
  readonly missingMaterials?: readonly string[];
  /** What the step found (home visit, data check, self-care level, ...), validated by the procedure. */
  readonly findings?: Readonly<Record<string, unknown>>;
  /**
   * Where the findings are kept instead (`case-note:<uuid>`): the gateway stores them encrypted and the engine and
   * the replay read them back before the machine sees the event (docs/api.md "The applicant's view").
   */
  readonly findingsNote?: string;
  /** An amount the step approves or hands out, in fen. */
  readonly amountFen?: number;
  /** Number of instalments the approved amount is paid in (一次审批、分次救助). */
  readonly instalments?: number;
  /** Per-part outcomes when one decision covers several benefits (e.g. `living`, `nursing`). */
  readonly parts?: Readonly<Record<string, { readonly outcome: 'approve' | 'reject'; readonly reasonCode?: string }>>;
  /** The reviewer's task the decision answers: the engine reopens it when the machine refuses the decision. */
  readonly taskId?: string;
}

/** The reviewer began the step (e.g. the home visit of a means investigation), for limits on starting. */
export interface StepStartedEvent {
  readonly type: 'STEP_STARTED';
  readonly step: string;
  readonly actor: string;
}

export interface SupplementReceivedEvent {
  readonly type: 'SUPPLEMENT_RECEIVED';
  readonly actor?: string;
  readonly materials?: readonly string[];
}

/** The applicant did not supply the missing material in time (法律援助法 art. 43: deemed withdrawn). */
export interface SupplementLapsedEvent {
  readonly type: 'SUPPLEMENT_LAPSED';
  readonly actor: string;
}

export interface WithdrawnEvent {
  readonly type: 'WITHDRAWN';
  readonly actor?: string;
  readonly reason?: string;
}

export interface ObjectionFiledEvent {
  readonly type: 'OBJECTION_FILED';
  readonly actor?: string;
  /** A portal's reason code, or for one received by staff the reference `case-note:<uuid>` of their summary. */
  readonly summary?: string;
}

export interface ObjectionDecidedEvent {
  readonly type: 'OBJECTION_DECIDED';
  readonly upheld: boolean;
  readonly actor: string;
  /** The objection task the decision answers (see `DecidedEvent.taskId`). */
  readonly taskId?: string;
}

/** A `period` clock ran out; `clock` defaults to `public-notice`. */
export interface NoticePeriodEndedEvent {
  readonly type: 'NOTICE_PERIOD_ENDED';
  readonly clock?: string;
}

export interface ExtensionGrantedEvent {
  readonly type: 'EXTENSION_GRANTED';
  /** The recorded reason: its reference `case-note:<uuid>` (older events carry the text itself). */
  readonly reason: string;
  readonly actor: string;
}

/** The payment run paid an instalment (the office confirms it with the bank's reference). */
export interface PaymentConfirmedEvent {
  readonly type: 'PAYMENT_CONFIRMED';
  readonly instalment: number;
  readonly reference?: string;
  readonly actor?: string;
  /** The payment task the confirmation answers (see `DecidedEvent.taskId`). */
  readonly taskId?: string;
}

/** The payment of an instalment failed (e.g. the account was closed); the procedure says what follows. */
export interface PaymentFailedEvent {
  readonly type: 'PAYMENT_FAILED';
  readonly instalment: number;
  readonly actor: string;
  /** What the bank or the payment run answered, as the office records it. */
  readonly reason?: string;
  /** The payment task the failure answers (see `DecidedEvent.taskId`). */
  readonly taskId?: string;
}

/**
 * The entitlement that pays the case's money was ended (a death, a move, a reviewer's ending, a bank's `deceased`
 * return; docs/money.md "临时救助: one payer, in instalments"): no later instalment will be paid. 临时救助 v3 closes
 * its payment step with the instalments paid so far.
 */
export interface PaymentsStoppedEvent {
  readonly type: 'PAYMENTS_STOPPED';
  readonly actor: string;
  readonly entitlementId?: string;
  /** The ending's reason code (`deceased`, `moved-out-of-district`, ...). */
  readonly reason?: string;
  /** The first month no longer paid (`YYYY-MM`). */
  readonly effectiveMonth?: string;
}

/** A housing unit was allocated to a household on the waiting list (公租房配租). */
export interface AllocatedEvent {
  readonly type: 'ALLOCATED';
  readonly actor: string;
  /** The unit allocated (配租). */
  readonly reference?: string;
  /** The lease signed for it (租赁合同), from which the household lives there. */
  readonly lease?: string;
  /** The lease's term in months, at most 5 years (住房和城乡建设部令第11号); 60 when not given. */
  readonly leaseMonths?: number;
}

/** A `deadline` clock passed its due time. Recorded; it changes the state only where a procedure says so. */
export interface ClockBreachedEvent {
  readonly type: 'CLOCK_BREACHED';
  readonly clock: string;
}

export type CaseEvent =
  | SubmittedEvent
  | DecidedEvent
  | StepStartedEvent
  | SupplementReceivedEvent
  | SupplementLapsedEvent
  | WithdrawnEvent
  | ObjectionFiledEvent
  | ObjectionDecidedEvent
  | NoticePeriodEndedEvent
  | ExtensionGrantedEvent
  | PaymentConfirmedEvent
  | PaymentFailedEvent
  | AllocatedEvent
  | PaymentsStoppedEvent
  | ClockBreachedEvent;

export type CaseEventType = CaseEvent['type'];

export const CASE_EVENT_TYPES = [
  'SUBMITTED',
  'DECIDED',
  'STEP_STARTED',
  'SUPPLEMENT_RECEIVED',
  'SUPPLEMENT_LAPSED',
  'WITHDRAWN',
  'OBJECTION_FILED',
  'OBJECTION_DECIDED',
  'NOTICE_PERIOD_ENDED',
  'EXTENSION_GRANTED',
  'PAYMENT_CONFIRMED',
  'PAYMENT_FAILED',
  'ALLOCATED',
  'PAYMENTS_STOPPED',
  'CLOCK_BREACHED',
] as const satisfies readonly CaseEventType[];
