import { z } from 'zod';

/**
 * The named schemas of the OpenAPI document (`components.schemas`), as zod: requests are the very schemas the
 * controllers parse with; responses are written here once, checked against every answer the tests receive
 * (docs/api.md "The API contract"). A schema registered in `requestSchemas` is rendered as the client may send it
 * (zod's input side), one in `responseSchemas` as the gateway answers (its output side).
 */
export const requestSchemas = z.registry<{ id: string; description?: string }>();
export const responseSchemas = z.registry<{ id: string; description?: string }>();

const timestamp = z.string().describe('an instant, ISO 8601 in UTC (`toISOString`)');
const isoDate = z.string().describe('a calendar date, YYYY-MM-DD');
/** A fresh schema each time: a zod schema registers under one name only. */
const jsonObject = () => z.record(z.string(), z.unknown());

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

/** One entry of a case's timeline as a portal sees it: actors by kind, personal data masked. */
export const caseEventSchema = z
  .object({
    seq: z.int(),
    type: z.string(),
    actor: z.string().describe('`portal`, `staff` or `system`'),
    occurredAt: timestamp,
    payload: jsonObject(),
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

export const taskDetailSchema = z
  .object({
    task: z.object({
      ...taskSchema.shape,
      decidedBy: z.string().nullable(),
      decision: jsonObject().nullable(),
      details: jsonObject(),
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
      facts: jsonObject(),
      entitlement: z.unknown(),
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

export const decisionAcceptedSchema = z
  .object({
    taskId: z.uuid(),
    caseId: z.uuid(),
    commandId: z.uuid(),
    outcome: z.string(),
    checks: z.array(jsonObject()).describe('the separation-of-duties checks stored with the decision'),
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
    facts: jsonObject(),
    entitlement: z.unknown(),
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
        extensions: z.array(z.unknown()),
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
    payload: jsonObject(),
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
    pauses: z.array(z.unknown()),
    extensions: z.array(z.unknown()),
    stoppedAt: timestamp.nullable(),
    remindAt: timestamp.nullable(),
    remindedAt: timestamp.nullable(),
    breachedAt: timestamp.nullable(),
    escalatedAt: timestamp.nullable(),
    endedAt: timestamp.nullable(),
    generation: z.int(),
    explanation: jsonObject().describe('how the due date was counted, step by step'),
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

/** Answers whose shape the document names only at the top: operator and catalog views (docs/operations.md). */
const page = (item: z.ZodType) => z.looseObject({ items: z.array(item) });

export const catalogItemSchema = z.looseObject({ code: z.string() }).register(responseSchemas, { id: 'CatalogItem' });
export const catalogItemPageSchema = z
  .looseObject({ items: z.array(catalogItemSchema), total: z.int(), nextCursor: z.string().nullable() })
  .register(responseSchemas, { id: 'CatalogItemPage' });
export const catalogDomainsSchema = page(jsonObject()).register(responseSchemas, { id: 'CatalogDomains' });
export const departmentsSchema = page(jsonObject()).register(responseSchemas, { id: 'DepartmentList' });
export const divisionsSchema = z
  .looseObject({ asOf: z.string(), items: z.array(jsonObject()) })
  .register(responseSchemas, { id: 'DivisionList' });
export const parametersSchema = page(jsonObject()).register(responseSchemas, { id: 'ParameterList' });
export const parameterPublishedSchema = z
  .object({
    published: jsonObject().optional().describe('the value just published, as in its key’s history'),
    closedId: z.string().nullable(),
    supersededId: z.string().nullable(),
    parameter: jsonObject().optional().describe('the key with its value in force today and its history'),
  })
  .register(responseSchemas, { id: 'ParameterPublished' });

export const dueDateSchema = z
  .looseObject({ due: isoDate, dueAt: timestamp, provisional: z.boolean() })
  .register(responseSchemas, { id: 'DueDate' });
export const calendarYearSchema = z
  .looseObject({ region: z.string(), year: z.int(), provisional: z.boolean() })
  .register(responseSchemas, { id: 'CalendarYear' });
export const calendarDraftSchema = z
  .looseObject({ year: z.int(), national: jsonObject(), xinjiang: jsonObject() })
  .register(responseSchemas, { id: 'CalendarDraft' });
const recomputationStateSchema = z.enum(['queued', 'running', 'done']);
export const calendarPublishedSchema = z
  .looseObject({
    region: z.string(),
    year: z.int(),
    version: z.int(),
    status: z.enum(['official', 'provisional']),
    recomputation: z.object({ id: z.string(), state: recomputationStateSchema, location: z.string() }),
  })
  .register(responseSchemas, { id: 'CalendarPublished' });
export const calendarRecomputationsSchema = z
  .looseObject({
    year: z.int(),
    items: z.array(z.looseObject({ id: z.string(), state: recomputationStateSchema })),
  })
  .register(responseSchemas, { id: 'CalendarRecomputations' });
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

export const queueSchema = z
  .looseObject({ name: z.string(), paused: z.boolean() })
  .register(responseSchemas, { id: 'Queue' });
export const queueListSchema = z
  .looseObject({
    backend: z.enum(['redis', 'postgres']).describe('where the queues run (docs/operations.md "Queue backends")'),
    items: z.array(queueSchema),
  })
  .register(responseSchemas, { id: 'QueueList' });
export const jobSchema = z
  .looseObject({ id: z.string(), name: z.string(), state: z.string() })
  .register(responseSchemas, { id: 'Job' });
export const jobPageSchema = z
  .looseObject({ items: z.array(jobSchema), nextCursor: z.string().nullable() })
  .register(responseSchemas, { id: 'JobPage' });
export const jobActionSchema = jsonObject().register(responseSchemas, { id: 'JobAction' });
export const stuckCasesSchema = page(jsonObject()).register(responseSchemas, { id: 'StuckCases' });
export const caseReplaySchema = z
  .object({
    caseId: z.uuid(),
    trackingNumber: z.string(),
    status: z.string(),
    events: z.int(),
    chain: jsonObject(),
    verdict: z.enum(['consistent', 'diverged', 'unreplayable', 'not-started']),
    divergences: z.array(
      z.object({
        field: z.enum(['machine', 'snapshot', 'status', 'closed', 'currentSteps', 'openTasks']),
        stored: z.unknown(),
        replayed: z.unknown(),
      }),
    ),
    problem: z.object({ atSeq: z.int().nullable(), reason: z.string() }).optional(),
  })
  .register(responseSchemas, { id: 'CaseReplay' });
export const assumptionsSchema = z
  .looseObject({
    asOf: timestamp,
    parameters: z.array(jsonObject()),
    limits: z.array(jsonObject()),
    calendars: z.array(jsonObject()),
  })
  .register(responseSchemas, { id: 'Assumptions' });
export const redriveSchema = jsonObject().register(responseSchemas, { id: 'Redrive' });
export const caseTraceSchema = z.looseObject({ case: jsonObject() }).register(responseSchemas, { id: 'CaseTrace' });
export const forecastSchema = z
  .looseObject({ asOf: z.string(), items: z.array(jsonObject()) })
  .register(responseSchemas, { id: 'Forecast' });
export const slaBoardSchema = z
  .looseObject({ asOf: timestamp, totals: jsonObject() })
  .register(responseSchemas, { id: 'SlaBoard' });
export const healthSchema = jsonObject().register(responseSchemas, { id: 'Health' });

/** The development sign-in of the console (docs/console.md): refused in production. */
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
