import { z } from 'zod';
import { PAYMENT_SCHEDULES } from '@minsheng/domain';
import { clockExplanationSchema, clockExtensionSchema, clockPauseSchema } from './calendar-schemas.js';
import { isoDate, jsonObject, requestSchemas, responseSchemas, timestamp } from './schema-primitives.js';

/**
 * The named schemas of the OpenAPI document (`components.schemas`), as zod: requests are the very schemas the
 * controllers parse with; responses are written here once, checked against every answer the tests receive
 * (docs/api.md "The API contract"). The catalog, calendar and operator answers are in their own modules
 * (`catalog-schemas.ts`, `calendar-schemas.ts`, `ops-schemas.ts`).
 */
export { requestSchemas, responseSchemas };

/** RFC 9457 problem details with minsheng's members; every refusal of every operation is one. */
export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().describe('stable machine-readable code, e.g. `CASE.ALREADY_OPEN`'),
    errors: z
      .array(z.object({ field: z.string(), code: z.string(), message: z.string() }))
      .optional()
      .describe('field-level reasons: `field` is a dotted path into the body, query, header or path'),
    requestId: z.string().optional().describe('quote it to an operator; also the `x-request-id` header'),
  })
  .register(responseSchemas, { id: 'Problem' });

export const officeSchema = z
  .object({ divisionCode: z.string(), divisionName: z.string().nullable() })
  .register(responseSchemas, { id: 'Office' });

export const routedOfficeSchema = z
  .object({ level: z.string(), divisionCode: z.string(), divisionName: z.string(), name: z.string() })
  .register(responseSchemas, { id: 'RoutedOffice' });

const caseLinks = z.object({ self: z.string(), events: z.string() });

export const submittedApplicationSchema = z
  .object({
    caseId: z.uuid(),
    trackingNumber: z.string(),
    status: z.literal('submitted'),
    itemCode: z.string(),
    procedureId: z.string(),
    leadDepartment: z.string(),
    acceptingOffice: routedOfficeSchema,
    approvingOffice: routedOfficeSchema,
    portalReference: z.string(),
    submittedAt: timestamp,
    links: caseLinks,
  })
  .register(responseSchemas, { id: 'SubmittedApplication' });

/** Who acted on a case, as its portal sees it: staff by role and office, never by identity. */
export const portalActorSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.enum(['portal', 'system']) }),
    z.object({
      kind: z.literal('staff'),
      role: z.string().nullable().describe('`reviewer`, `supervisor` …; null on events recorded before roles were'),
      office: z
        .object({ department: z.string(), level: z.string(), divisionCode: z.string().nullable() })
        .nullable()
        .describe('the office that acted; null on events recorded before offices were'),
    }),
  ])
  .register(responseSchemas, { id: 'PortalActor' });

/**
 * One entry of a case's timeline as a portal sees it: actors by kind and, for staff, role and office; personal data
 * masked; no staff free text (docs/api.md "The applicant's view").
 */
export const caseEventSchema = z
  .object({
    seq: z.int(),
    type: z.string(),
    actor: z.string().describe('`portal`, `staff` or `system`'),
    by: portalActorSchema,
    occurredAt: timestamp,
    payload: jsonObject().describe(
      'the event’s data: its shape depends on `type` (docs/procedures.md), open on purpose',
    ),
  })
  .register(responseSchemas, { id: 'CaseEvent' });

const grantedAmountSchema = z
  .object({ monthlyAmountFen: z.int().nullable(), provisional: z.boolean() })
  .nullable()
  .describe('the amount granted and whether it rests on an assumed or expired parameter (null until granted)');

const caseFields = {
  caseId: z.uuid(),
  trackingNumber: z.string(),
  itemCode: z.string(),
  procedureId: z.string(),
  status: z.string(),
  currentSteps: z.array(z.string()),
  leadDepartment: z.string(),
  acceptingOffice: officeSchema,
  approvingOffice: officeSchema,
  portalReference: z.string().nullable(),
  applicant: z.object({ idNumber: z.string().describe('masked') }),
  submittedAt: timestamp,
  updatedAt: timestamp,
  closedAt: timestamp.nullable(),
  dueAt: timestamp.nullable().describe('the overall clock’s due time'),
  dueProvisional: z.boolean(),
  clockPaused: z.boolean(),
  amount: grantedAmountSchema,
  links: caseLinks,
};

export const caseSummarySchema = z.object(caseFields).register(responseSchemas, { id: 'CaseSummary' });
export const caseSchema = z
  .object({ ...caseFields, events: z.array(caseEventSchema) })
  .register(responseSchemas, { id: 'Case' });
export const caseListSchema = z
  .object({ items: z.array(caseSummarySchema) })
  .register(responseSchemas, { id: 'CaseList' });
export const caseEventsSchema = z
  .object({ caseId: z.uuid(), items: z.array(caseEventSchema) })
  .register(responseSchemas, { id: 'CaseEvents' });

export const commandAcceptedSchema = z
  .object({
    caseId: z.uuid(),
    trackingNumber: z.string(),
    accepted: z.string().describe('the workflow event the engine will apply'),
    commandId: z.uuid(),
    acceptedAt: timestamp,
    links: caseLinks,
  })
  .register(responseSchemas, { id: 'CommandAccepted' });

export const taskSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    trackingNumber: z.string(),
    itemCode: z.string(),
    step: z.string(),
    kind: z.string(),
    level: z.string(),
    departmentCode: z.string(),
    divisionCode: z.string(),
    status: z.string(),
    outcomes: z.array(z.string()),
    rejectReasons: z.array(z.string()),
    dueAt: timestamp.nullable(),
    overdue: z.boolean(),
    claimedBy: z.string().nullable(),
    openedAt: timestamp,
    closedAt: timestamp.nullable(),
  })
  .register(responseSchemas, { id: 'Task' });

export const taskPageSchema = z
  .object({ items: z.array(taskSchema), nextCursor: z.string().nullable() })
  .register(responseSchemas, { id: 'TaskPage' });

export const decisionRequestSchema = z
  .object({
    id: z.uuid().describe('the command that carries it (commandId of the decision’s answer)'),
    state: z
      .enum(['requested', 'accepted', 'refused'])
      .describe('requested until the engine applies it; accepted (the task is decided) or refused (open again)'),
    outcome: z.string(),
    requestedBy: z.string(),
    requestedAt: timestamp,
    answeredAt: timestamp.nullable(),
    refusal: z
      .object({
        code: z.string().describe('DECISION.REFUSED (docs/errors.md)'),
        reason: z.string().describe('the procedure’s reason, in words'),
        field: z.string().describe('the request field the refusal most likely turned on'),
      })
      .nullable(),
  })
  .register(responseSchemas, { id: 'TaskDecisionRequest' });

export const taskDetailSchema = z
  .object({
    task: z.object({
      ...taskSchema.shape,
      decidedBy: z.string().nullable(),
      decision: jsonObject().nullable().describe('the decision as submitted, with its duty checks (open on purpose)'),
      details: jsonObject().describe('what the step shows the reviewer; differs per step (open on purpose)'),
      decisionRequest: decisionRequestSchema
        .nullable()
        .describe('the last decision request on the task and the engine’s answer; null if none was made'),
      requiredFindings: z
        .array(
          z.object({
            name: z.string(),
            kind: z.enum(['date', 'choice', 'boolean']),
            choices: z.array(z.string()).optional(),
            required: z.boolean(),
          }),
        )
        .describe('the `findings` an approval of this open task must carry, as the case’s machine requires them'),
    }),
    case: z.object({
      id: z.uuid(),
      trackingNumber: z.string(),
      itemCode: z.string(),
      status: z.string(),
      currentSteps: z.array(z.string()),
      departmentCode: z.string(),
      acceptingDivision: z.string(),
      approvingDivision: z.string(),
      submittedAt: timestamp,
      facts: jsonObject().describe('what intake and the steps established; differs per procedure (open on purpose)'),
      entitlement: z
        .unknown()
        .describe(
          'the entitlement the engine computed, with its formula and parameters; differs per procedure (open on purpose)',
        ),
    }),
    applicant: z.object({
      name: z.string().nullable(),
      idNumber: z.string().nullable(),
      application: z.unknown().describe('the application as submitted'),
    }),
  })
  .register(responseSchemas, { id: 'TaskDetail' });

export const taskClaimSchema = z
  .object({ taskId: z.uuid(), claimedBy: z.string().nullable() })
  .register(responseSchemas, { id: 'TaskClaim' });

export const taskReassignmentSchema = z
  .object({
    taskId: z.uuid(),
    caseId: z.uuid(),
    claimedBy: z.string().describe('`staff:<subject>` of the reviewer who holds the task now'),
    previouslyClaimedBy: z.string(),
  })
  .register(responseSchemas, { id: 'TaskReassignment' });

export const decisionAcceptedSchema = z
  .object({
    taskId: z.uuid(),
    caseId: z.uuid(),
    commandId: z.uuid(),
    outcome: z.string(),
    checks: z
      .array(
        z.object({
          rule: z.enum(['review-opinion-not-approver', 'no-consecutive-steps', 'not-a-relative']),
          passed: z.boolean(),
          detail: z.string(),
        }),
      )
      .describe('the separation-of-duties checks stored with the decision'),
    state: z
      .enum(['requested', 'accepted'])
      .describe(
        'requested: the engine applies the decision and answers it on the task (GET links.task: decisionRequest); an escalation’s acknowledgement is accepted at once',
      ),
    links: z.object({ task: z.string().describe('the task, with the decision request’s state') }),
  })
  .register(responseSchemas, { id: 'DecisionAccepted' });

export const staffCommandAcceptedSchema = z
  .object({ caseId: z.uuid(), commandId: z.uuid(), event: z.string() })
  .register(responseSchemas, { id: 'StaffCommandAccepted' });

export const staffCaseSchema = z
  .object({
    id: z.uuid(),
    trackingNumber: z.string(),
    itemCode: z.string(),
    procedure: z.object({ id: z.string(), machine: z.string(), version: z.int() }),
    status: z.string(),
    currentSteps: z.array(z.string()),
    departmentCode: z.string(),
    acceptingDivision: z.string(),
    approvingDivision: z.string(),
    facts: jsonObject().describe('what intake and the steps established; differs per procedure (open on purpose)'),
    entitlement: z
      .unknown()
      .describe(
        'the entitlement the engine computed, with its formula and parameters; differs per procedure (open on purpose)',
      ),
    amount: grantedAmountSchema,
    version: z.int(),
    submittedAt: timestamp,
    updatedAt: timestamp,
    closedAt: timestamp.nullable(),
    tasks: z.array(
      z.object({
        id: z.uuid(),
        step: z.string(),
        kind: z.string(),
        level: z.string(),
        departmentCode: z.string(),
        divisionCode: z.string(),
        status: z.string(),
        dueAt: timestamp.nullable(),
        claimedBy: z.string().nullable(),
        decidedBy: z.string().nullable(),
        openedAt: timestamp,
        closedAt: timestamp.nullable(),
      }),
    ),
    clocks: z.array(
      z.object({
        clock: z.string(),
        kind: z.enum(['deadline', 'period']),
        limitAmount: z.int().describe('the limit in force, after any extension'),
        originalLimitAmount: z.int(),
        unit: z.string(),
        startedAt: timestamp,
        dueAt: timestamp.nullable(),
        provisional: z.boolean(),
        basis: z
          .enum(['statutory', 'target'])
          .describe(
            '`statutory`: a breach escalates; `target`: a service target on an assumed limit (reminds, shows late, no escalation)',
          ),
        evidence: z.string().describe('the limit’s evidence tag (V, R, S, G; `unknown` on older clocks)'),
        pausedAt: timestamp.nullable(),
        stoppedAt: timestamp.nullable(),
        extensions: z.array(clockExtensionSchema),
      }),
    ),
  })
  .register(responseSchemas, { id: 'StaffCase' });

export const staffEventSchema = z
  .object({
    seq: z.int(),
    id: z.string(),
    type: z.string(),
    actor: z.string(),
    payload: jsonObject().describe(
      'the event’s data: its shape depends on `type` (docs/procedures.md), open on purpose',
    ),
    occurredAt: timestamp,
    prevHash: z.string().nullable(),
    hash: z.string(),
  })
  .register(responseSchemas, { id: 'Event' });

export const staffEventsSchema = z
  .object({ items: z.array(staffEventSchema) })
  .register(responseSchemas, { id: 'EventList' });

export const chainVerificationSchema = z
  .object({
    caseId: z.uuid(),
    ok: z.boolean(),
    events: z.int(),
    brokenAtSeq: z.int().optional(),
    reason: z.string().optional(),
    headMatches: z.boolean().describe('the case row’s last sequence number and hash are the chain’s'),
  })
  .register(responseSchemas, { id: 'ChainVerification' });

export const clockSchema = z
  .object({
    id: z.string(),
    clock: z.string().describe('e.g. `overall`, `acceptance`, `public-notice`'),
    kind: z.enum(['deadline', 'period']),
    state: z.enum(['on-time', 'at-risk', 'late', 'paused', 'stopped', 'ended', 'calendar-missing']),
    limit: z.object({
      amount: z.number().describe('the limit in force (after any extension)'),
      originalAmount: z.number(),
      unit: z.string().describe('`working-days` or `calendar-days`'),
      source: z.string().describe('the regulation the limit comes from'),
      evidence: z.string().describe('the limit’s evidence tag (V, R, S, G; `unknown` on older clocks)'),
    }),
    basis: z
      .enum(['statutory', 'target'])
      .describe(
        '`statutory`: a breach escalates; `target`: a service target on an assumed limit (reminds, shows late, no escalation)',
      ),
    region: z.string(),
    startedAt: timestamp,
    startDate: isoDate,
    due: isoDate.nullable(),
    dueAt: timestamp.nullable(),
    provisional: z.boolean(),
    calendarMissing: z.string().nullable().describe('the calendar a due date waits for, e.g. `national/2027`'),
    explainedDue: isoDate.nullable(),
    timeToBreachSeconds: z.number().nullable(),
    pausedAt: timestamp.nullable(),
    pauses: z.array(clockPauseSchema),
    extensions: z.array(clockExtensionSchema),
    stoppedAt: timestamp.nullable(),
    remindAt: timestamp.nullable(),
    remindedAt: timestamp.nullable(),
    breachedAt: timestamp.nullable(),
    escalatedAt: timestamp.nullable(),
    endedAt: timestamp.nullable(),
    generation: z.int(),
    explanation: clockExplanationSchema.describe('how the due date was counted, step by step'),
  })
  .register(responseSchemas, { id: 'Clock' });

export const caseClocksSchema = z
  .object({
    caseId: z.uuid(),
    trackingNumber: z.string(),
    itemCode: z.string(),
    department: z.string(),
    office: officeSchema,
    asOf: timestamp,
    clocks: z.array(clockSchema),
  })
  .register(responseSchemas, { id: 'CaseClocks' });

export const waitingListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        trackingNumber: z.string(),
        itemCode: z.string(),
        acceptingDivision: z.string(),
        priority: z.boolean(),
        registeredAt: z.string().nullable(),
      }),
    ),
  })
  .register(responseSchemas, { id: 'WaitingList' });

export const paymentRunSchema = z
  .object({
    id: z.uuid(),
    month: z.string(),
    state: z.enum(['building', 'ready', 'exported', 'confirmed']),
    progress: z.object({ candidates: z.int().nullable(), examined: z.int(), batches: z.int() }),
    requestedBy: z.string(),
    createdAt: z.string(),
    readyAt: z.string().nullable(),
    exportedAt: z.string().nullable(),
    confirmedAt: z.string().nullable(),
  })
  .register(responseSchemas, { id: 'PaymentRun' });
export const paymentRunOpenedSchema = paymentRunSchema
  .extend({ opened: z.boolean(), location: z.string() })
  .register(responseSchemas, { id: 'PaymentRunOpened' });
export const paymentRunListSchema = z
  .object({ items: z.array(paymentRunSchema) })
  .register(responseSchemas, { id: 'PaymentRunList' });
export const paymentRunDetailSchema = paymentRunSchema
  .extend({
    totals: z.object({
      lines: z.int(),
      amountFen: z.int(),
      paidLines: z.int(),
      paidAmountFen: z.int(),
      returnedLines: z.int(),
      carriedLines: z.int(),
      byDistrictAndBank: z.array(
        z.object({ district: z.string(), bank: z.string(), lines: z.int(), amountFen: z.int() }),
      ),
    }),
  })
  .register(responseSchemas, { id: 'PaymentRunDetail' });
export const bankResultsSchema = z
  .object({ paid: z.int(), returned: z.int(), alreadySettled: z.int(), confirmed: z.boolean() })
  .register(responseSchemas, { id: 'BankResultsApplied' });
export const paymentLineCorrectedSchema = z
  .object({ id: z.uuid(), status: z.literal('corrected') })
  .register(responseSchemas, { id: 'PaymentLineCorrected' });
export const expenditureReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.array(z.enum(['item', 'department', 'district', 'month', 'funding'])),
    groups: z.array(
      z.object({
        key: z.record(z.string(), z.string()).describe('the value of each groupBy dimension'),
        lines: z.int(),
        amountFen: z.int(),
      }),
    ),
    total: z.object({ lines: z.int(), amountFen: z.int() }),
  })
  .describe('JSON by default; `format=csv` answers text/csv')
  .register(responseSchemas, { id: 'ExpenditureReport' });
export const entitlementChangedSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['active', 'suspended', 'gradual-exit', 'ended']),
    event: z.string(),
    effectiveMonth: z.string(),
    arrearsMonths: z
      .array(z.string())
      .optional()
      .describe('a resumption: the months owed as arrears, paid in the next run (empty unless payArrears)'),
  })
  .register(responseSchemas, { id: 'EntitlementChanged' });
const entitlementStatusSchema = z.enum(['active', 'suspended', 'gradual-exit', 'ended']);
export const householdEventAnswerSchema = z
  .object({
    eventId: z.string(),
    kind: z.enum(['death-registration', 'moved-out-of-district', 'income-above-standard']),
    change: z.enum(['ending', 'suspension']),
    reason: z.string(),
    effectiveMonth: z.string(),
    changed: z.array(
      z.object({
        entitlementId: z.uuid(),
        caseId: z.uuid(),
        from: entitlementStatusSchema,
        to: entitlementStatusSchema,
        event: z.string(),
      }),
    ),
    unchanged: z.array(z.object({ entitlementId: z.uuid(), caseId: z.uuid(), status: entitlementStatusSchema })),
    replayed: z.boolean().describe('the event id was received before: its first answer, nothing changed now'),
  })
  .register(responseSchemas, { id: 'HouseholdEventAnswer' });
export const entitlementListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        caseId: z.uuid(),
        itemCode: z.string(),
        kind: z.string(),
        division: z.string(),
        district: z.string(),
        bank: z.string(),
        schedule: z.enum(PAYMENT_SCHEDULES),
        monthlyAmountFen: z.int(),
        startMonth: z.string(),
        endMonth: z.string().nullable(),
        status: z.enum(['active', 'suspended', 'gradual-exit', 'ended']),
        statusReason: z.string().nullable(),
        basis: z
          .record(z.string(), z.unknown())
          .describe('the parameter values the amount was computed from; differs per benefit (open on purpose)'),
      }),
    ),
  })
  .register(responseSchemas, { id: 'EntitlementList' });
export const entitlementReviewListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        entitlementId: z.uuid(),
        caseId: z.uuid(),
        division: z.string(),
        dueOn: z.string().describe('the review date (YYYY-MM-DD)'),
        status: z.enum(['open', 'decided', 'lapsed']),
        openedAt: z.string(),
        respondBy: z
          .string()
          .nullable()
          .describe('the end of the last working day to answer; null while the count waits for a calendar year'),
        calendarMissing: z.string().nullable(),
        outcome: z.enum(['continue', 'adjust', 'suspend', 'gradual-exit', 'end']).nullable(),
        decidedBy: z.string().nullable(),
        closedAt: z.string().nullable(),
        respondedAt: z.string().nullable().describe('when the street office recorded the household’s answer'),
        respondedBy: z.string().nullable(),
        decideBy: z
          .string()
          .nullable()
          .describe('once answered: the end of the street office’s last working day to decide'),
        awaiting: z
          .enum(['household', 'office'])
          .nullable()
          .describe('an open review waits on the household (no answer yet) or on the street office (answered)'),
        overdue: z.boolean().describe('open and past the limit of whom it waits on'),
      }),
    ),
  })
  .register(responseSchemas, { id: 'EntitlementReviewList' });
export const entitlementReviewAnsweredSchema = z
  .object({
    reviewId: z.uuid(),
    entitlementId: z.uuid(),
    respondedAt: z.string(),
    decideBy: z
      .string()
      .nullable()
      .describe('the street office’s decision limit; null while the count waits for a calendar year'),
    calendarMissing: z.string().nullable(),
  })
  .register(responseSchemas, { id: 'EntitlementReviewAnswered' });
export const entitlementReviewDecidedSchema = z
  .object({
    reviewId: z.uuid(),
    entitlementId: z.uuid(),
    outcome: z.enum(['continue', 'adjust', 'suspend', 'gradual-exit', 'end']),
    status: z.enum(['active', 'suspended', 'gradual-exit', 'ended']),
    monthlyAmountFen: z.int(),
    endMonth: z.string().nullable(),
    nextReviewOn: z.string().nullable(),
    events: z.array(z.string()).describe('the events recorded on the case’s chain, in order'),
  })
  .register(responseSchemas, { id: 'EntitlementReviewDecided' });

/** A satisfaction answer as recorded (docs/api.md "Satisfaction"). */
export const satisfactionRecordedSchema = z
  .object({
    caseId: z.uuid(),
    score: z.int().min(1).max(5),
    reasons: z.array(z.string()),
    submittedAt: timestamp,
    windowDays: z.int().describe('calendar days after closing during which the survey is open'),
  })
  .register(responseSchemas, { id: 'SatisfactionRecorded' });

export const satisfactionResultsSchema = z
  .object({
    from: isoDate,
    to: isoDate,
    groupBy: z.array(z.enum(['item', 'office', 'month'])),
    groups: z.array(
      z.object({
        item: z.string().optional(),
        office: z.string().optional().describe('the accepting office’s division code'),
        month: z.string().optional().describe('YYYY-MM, China Standard Time'),
        count: z.int(),
        averageScore: z.number(),
        scores: z.record(z.string(), z.int()).describe('answers per score, `1` to `5`'),
        reasons: z.record(z.string(), z.int()).describe('answers naming each reason code'),
      }),
    ),
  })
  .register(responseSchemas, { id: 'SatisfactionResults' });

/** The public attainment report (docs/api.md "Attainment report"); a suppressed cell has every figure null. */
export const attainmentReportSchema = z
  .object({
    year: z.int(),
    suppressionThreshold: z.int().describe('a cell with fewer applications shows no figure'),
    cells: z.array(
      z.object({
        item: z.string(),
        district: z.string().describe('the 6-digit district of the accepting office'),
        suppressed: z.boolean(),
        applications: z.int().nullable(),
        outcomes: z.record(z.string(), z.int()).nullable().describe('closed cases by final status'),
        decided: z.int().nullable().describe('closed cases other than withdrawn ones'),
        decidedWithStatutoryLimit: z.int().nullable(),
        withinStatutoryLimitShare: z.number().nullable().describe('of those, the share that met every statutory limit'),
        medianWorkingDaysToDecision: z.number().nullable(),
        satisfactionAverage: z.number().nullable(),
        satisfactionCount: z.int().nullable(),
      }),
    ),
  })
  .register(responseSchemas, { id: 'AttainmentReport' });

const webhookEndpointFields = {
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.string()),
  createdAt: timestamp,
  previousSecretUntil: timestamp.nullable().describe('while a rotated secret still signs beside the new one'),
};
export const webhookEndpointSchema = z
  .object(webhookEndpointFields)
  .register(responseSchemas, { id: 'WebhookEndpoint' });
export const webhookEndpointWithSecretSchema = z
  .object({ ...webhookEndpointFields, secret: z.string().describe('`whsec_<base64>`: shown in this answer only') })
  .register(responseSchemas, { id: 'WebhookEndpointWithSecret' });
export const webhookEndpointListSchema = z
  .object({ items: z.array(webhookEndpointSchema) })
  .register(responseSchemas, { id: 'WebhookEndpointList' });
export const webhookDeliveryPageSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        messageId: z.string().describe('the `webhook-id` header'),
        type: z.string(),
        caseId: z.uuid().nullable(),
        status: z.enum(['pending', 'waiting', 'delivered', 'dead']),
        attempts: z.int(),
        createdAt: timestamp,
        nextAttemptAt: timestamp.nullable(),
        finishedAt: timestamp.nullable(),
        replayOf: z.string().nullable(),
        attemptLog: z.array(
          z.object({
            attempt: z.int(),
            startedAt: timestamp,
            durationMs: z.int(),
            statusCode: z.int().nullable(),
            error: z.string().nullable(),
          }),
        ),
      }),
    ),
    nextCursor: z.string().nullable().describe('pass as `before` for the next page'),
  })
  .register(responseSchemas, { id: 'WebhookDeliveryPage' });
export const webhookReplaySchema = z
  .object({ deliveries: z.array(z.string()).describe('the new deliveries, oldest first') })
  .register(responseSchemas, { id: 'WebhookReplay' });
export const webhookBacklogSchema = z
  .object({
    items: z.array(
      z.object({
        portalId: z.uuid(),
        portal: z.string(),
        endpoints: z.int(),
        pending: z.int(),
        waiting: z.int(),
        dead: z.int(),
        failedAttempts24h: z.int(),
        oldestUndeliveredAt: timestamp.nullable(),
      }),
    ),
  })
  .register(responseSchemas, { id: 'WebhookBacklog' });

/** The development sign-in of the console (docs/console.md): refused in production. */
export const consoleSignInSchema = z
  .discriminatedUnion('mode', [
    z.object({
      mode: z.literal('oidc'),
      issuer: z
        .string()
        .describe('the OpenID Connect issuer (its discovery document is `/.well-known/openid-configuration`)'),
      clientId: z.string(),
      scope: z.string(),
    }),
    z.object({ mode: z.literal('development') }),
    z.object({ mode: z.literal('none') }),
  ])
  .register(responseSchemas, { id: 'ConsoleSignIn' });

export const devIdentitiesSchema = z
  .object({
    items: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        description: z.string(),
        descriptionEn: z.string(),
        department: z.string(),
        level: z.string(),
        divisions: z.array(z.string()),
        roles: z.array(z.string()),
      }),
    ),
  })
  .register(responseSchemas, { id: 'DevIdentities' });
export const devSignInSchema = z
  .object({
    token: z.string().describe('a staff bearer token; the console keeps it in memory only'),
    subject: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
  })
  .register(responseSchemas, { id: 'DevSignIn' });
