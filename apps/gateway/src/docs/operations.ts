import { z } from 'zod';
import { devSignInBody } from '../auth/dev-sign-in.js';
import { submitApplicationRequest } from '../applications/submit-application.request.js';
import { calendarQuery, dueDateQuery, publishCalendarBody, yearParam } from '../calendar/calendar.request.js';
import {
  objectionRequest,
  portalReferenceQuery,
  supplementRequest,
  withdrawalRequest,
} from '../cases/case-commands.request.js';
import {
  listDivisionsQuery,
  listItemsQuery,
  listParametersQuery,
  publishParameterBody,
} from '../catalog/catalog.request.js';
import { forecastQuery } from '../ops/forecast.controller.js';
import { listJobsQuery } from '../ops/queues.request.js';
import { stuckQuery } from '../ops/stuck-cases.controller.js';
import { slaBoardQuery, slaHistoryQuery } from '../clocks/sla.request.js';
import {
  allocationBody,
  extensionBody,
  objectionBody,
  waitingListQuery,
} from '../staff-cases/staff-cases.controller.js';
import { attainmentQuery } from '../attainment/attainment.request.js';
import { satisfactionQuery, satisfactionRequest } from '../satisfaction/satisfaction.request.js';
import { decisionBody, inboxQuery, reassignmentBody } from '../tasks/task.requests.js';
import {
  deliveriesQuery,
  deliveryIdParam,
  registerWebhookRequest,
  replayRangeRequest,
} from '../webhooks/webhooks.request.js';
import { expenditureQuery } from '../reports/reports.request.js';
import {
  bankResultsBody,
  endingBody,
  entitlementsQuery,
  exportQuery,
  householdEventBody,
  openPaymentRunBody,
  resumptionBody,
  reviewDecisionBody,
  reviewResponseBody,
  reviewsQuery,
  suspensionBody,
} from '../payments/payments.request.js';
import * as api from './api-schemas.js';
import * as calendar from './calendar-schemas.js';
import * as catalog from './catalog-schemas.js';
import * as ops from './ops-schemas.js';

/**
 * What the controllers read and answer, per operation, as the zod schemas they parse with: the OpenAPI document is
 * built from this table and the controllers' own route, role and summary metadata (docs/api.md "The API contract").
 * A route without an entry here, or an entry without a route, stops the generator.
 */
export interface OperationContract {
  /** The body schema the handler parses (rendered as the client sends it). */
  readonly body?: z.ZodType;
  /** The query schema the handler parses: each key becomes a query parameter. */
  readonly query?: z.ZodObject;
  /** Path parameters that are checked beyond "a string" (UUIDs, years). */
  readonly path?: Readonly<Record<string, z.ZodType>>;
  /**
   * The success answer: a schema (JSON), `'empty'` (no body), `'text'` (text/plain) or `'csv'` (text/csv).
   */
  readonly answer: z.ZodType | 'empty' | 'text' | 'csv';
  /** The JSON answer may also be asked for as `text/csv` (`Accept` or `format=csv`). */
  readonly csv?: true;
}

// Register every request body under its component name: the document and the generated client share these names.
submitApplicationRequest.register(api.requestSchemas, { id: 'ApplicationRequest' });
withdrawalRequest.register(api.requestSchemas, { id: 'WithdrawalRequest' });
supplementRequest.register(api.requestSchemas, { id: 'SupplementRequest' });
objectionRequest.register(api.requestSchemas, { id: 'ObjectionRequest' });
decisionBody.register(api.requestSchemas, { id: 'DecisionRequest' });
objectionBody.register(api.requestSchemas, { id: 'StaffObjectionRequest' });
extensionBody.register(api.requestSchemas, { id: 'ExtensionRequest' });
publishParameterBody.register(api.requestSchemas, { id: 'PublishParameterRequest' });
publishCalendarBody.register(api.requestSchemas, { id: 'PublishCalendarRequest' });
allocationBody.register(api.requestSchemas, { id: 'AllocationRequest' });
satisfactionRequest.register(api.requestSchemas, { id: 'SatisfactionRequest' });
registerWebhookRequest.register(api.requestSchemas, { id: 'WebhookRegistrationRequest' });
replayRangeRequest.register(api.requestSchemas, { id: 'WebhookReplayRangeRequest' });
openPaymentRunBody.register(api.requestSchemas, { id: 'OpenPaymentRunRequest' });
bankResultsBody.register(api.requestSchemas, { id: 'BankResultsRequest' });
suspensionBody.register(api.requestSchemas, { id: 'EntitlementSuspensionRequest' });
resumptionBody.register(api.requestSchemas, { id: 'EntitlementResumptionRequest' });
endingBody.register(api.requestSchemas, { id: 'EntitlementEndingRequest' });
reviewDecisionBody.register(api.requestSchemas, { id: 'EntitlementReviewDecisionRequest' });
reviewResponseBody.register(api.requestSchemas, { id: 'EntitlementReviewResponseRequest' });
householdEventBody.register(api.requestSchemas, { id: 'HouseholdEventRequest' });
devSignInBody.register(api.requestSchemas, { id: 'DevSignInRequest' });

const caseId = { id: z.uuid() };
const year = { year: yearParam };
const webhookId = { id: z.uuid() };
const webhookDelivery = { id: z.uuid(), deliveryId: deliveryIdParam };

export const OPERATIONS: Readonly<Record<string, OperationContract>> = {
  'GET /health/live': { answer: ops.healthSchema },
  'GET /health/ready': { answer: ops.healthSchema },
  'GET /metrics': { answer: 'text' },

  'GET /v1/catalog/domains': { answer: catalog.catalogDomainsSchema },
  'GET /v1/catalog/items': { query: listItemsQuery, answer: catalog.catalogItemPageSchema },
  'GET /v1/catalog/items/{code}': { answer: catalog.catalogItemSchema },
  'GET /v1/catalog/departments': { answer: catalog.departmentsSchema },
  'GET /v1/catalog/divisions': { query: listDivisionsQuery, answer: catalog.divisionsSchema },
  'GET /v1/catalog/parameters': { query: listParametersQuery, answer: catalog.parametersSchema },
  'POST /v1/catalog/parameters': { body: publishParameterBody, answer: catalog.parameterPublishedSchema },

  'GET /v1/public/attainment': { query: attainmentQuery, answer: api.attainmentReportSchema, csv: true },

  'GET /v1/calendar/due-date': { query: dueDateQuery, answer: calendar.dueDateSchema },
  'GET /v1/calendar/{year}': { path: year, query: calendarQuery, answer: calendar.calendarYearSchema },
  'POST /v1/calendar/{year}/draft': { path: year, answer: calendar.calendarDraftSchema },
  'PUT /v1/calendar/{year}': { path: year, body: publishCalendarBody, answer: calendar.calendarPublishedSchema },
  'POST /v1/calendar/{year}/preview': { path: year, body: publishCalendarBody, answer: calendar.calendarPreviewSchema },
  'GET /v1/calendar/{year}/recomputation': { path: year, answer: calendar.calendarRecomputationsSchema },

  'POST /v1/applications': { body: submitApplicationRequest, answer: api.submittedApplicationSchema },

  'POST /v1/portal/webhooks': { body: registerWebhookRequest, answer: api.webhookEndpointWithSecretSchema },
  'GET /v1/portal/webhooks': { answer: api.webhookEndpointListSchema },
  'DELETE /v1/portal/webhooks/{id}': { path: webhookId, answer: 'empty' },
  'POST /v1/portal/webhooks/{id}/secret-rotation': { path: webhookId, answer: api.webhookEndpointWithSecretSchema },
  'GET /v1/portal/webhooks/{id}/deliveries': {
    path: webhookId,
    query: deliveriesQuery,
    answer: api.webhookDeliveryPageSchema,
  },
  'POST /v1/portal/webhooks/{id}/deliveries/{deliveryId}/replay': {
    path: webhookDelivery,
    answer: api.webhookReplaySchema,
  },
  'POST /v1/portal/webhooks/{id}/replays': {
    path: webhookId,
    body: replayRangeRequest,
    answer: api.webhookReplaySchema,
  },
  'GET /v1/cases': { query: portalReferenceQuery, answer: api.caseListSchema },
  'GET /v1/cases/{id}': { path: caseId, answer: api.caseSchema },
  'GET /v1/cases/{id}/events': { path: caseId, answer: api.caseEventsSchema },
  'POST /v1/cases/{id}/withdrawal': { path: caseId, body: withdrawalRequest, answer: api.commandAcceptedSchema },
  'POST /v1/cases/{id}/supplements': { path: caseId, body: supplementRequest, answer: api.commandAcceptedSchema },
  'POST /v1/cases/{id}/objections': { path: caseId, body: objectionRequest, answer: api.commandAcceptedSchema },
  'POST /v1/cases/{id}/satisfaction': {
    path: caseId,
    body: satisfactionRequest,
    answer: api.satisfactionRecordedSchema,
  },

  'GET /v1/tasks': { query: inboxQuery, answer: api.taskPageSchema },
  'GET /v1/tasks/{id}': { path: caseId, answer: api.taskDetailSchema },
  'POST /v1/tasks/{id}/claim': { path: caseId, answer: api.taskClaimSchema },
  'POST /v1/tasks/{id}/release': { path: caseId, answer: api.taskClaimSchema },
  'POST /v1/tasks/{id}/reassignment': {
    path: caseId,
    body: reassignmentBody,
    answer: api.taskReassignmentSchema,
  },
  'POST /v1/tasks/{id}/decision': { path: caseId, body: decisionBody, answer: api.decisionAcceptedSchema },

  'GET /v1/staff/cases/waiting-list': { query: waitingListQuery, answer: api.waitingListSchema },
  'GET /v1/staff/cases/{id}': { path: caseId, answer: api.staffCaseSchema },
  'GET /v1/staff/cases/{id}/events': { path: caseId, answer: api.staffEventsSchema },
  'GET /v1/staff/cases/{id}/verify': { path: caseId, answer: api.chainVerificationSchema },
  'GET /v1/staff/cases/{id}/clocks': { path: caseId, answer: api.caseClocksSchema },
  'POST /v1/staff/cases/{id}/objections': {
    path: caseId,
    body: objectionBody,
    answer: api.staffCommandAcceptedSchema,
  },
  'POST /v1/staff/cases/{id}/extension': { path: caseId, body: extensionBody, answer: api.staffCommandAcceptedSchema },
  'POST /v1/staff/cases/{id}/allocation': {
    path: caseId,
    body: allocationBody,
    answer: api.staffCommandAcceptedSchema,
  },

  'POST /v1/payment-runs': { body: openPaymentRunBody, answer: api.paymentRunOpenedSchema },
  'GET /v1/payment-runs': { answer: api.paymentRunListSchema },
  'GET /v1/payment-runs/{id}': { path: caseId, answer: api.paymentRunDetailSchema },
  'GET /v1/payment-runs/{id}/export': { path: caseId, query: exportQuery, answer: 'csv' },
  'POST /v1/payment-runs/{id}/results': { path: caseId, body: bankResultsBody, answer: api.bankResultsSchema },
  'POST /v1/payment-lines/{id}/correction': { path: caseId, answer: api.paymentLineCorrectedSchema },
  'GET /v1/reports/expenditure': { query: expenditureQuery, answer: api.expenditureReportSchema, csv: true },
  'POST /v1/entitlements/{id}/suspension': { path: caseId, body: suspensionBody, answer: api.entitlementChangedSchema },
  'POST /v1/entitlements/{id}/resumption': { path: caseId, body: resumptionBody, answer: api.entitlementChangedSchema },
  'POST /v1/entitlements/{id}/ending': { path: caseId, body: endingBody, answer: api.entitlementChangedSchema },
  'GET /v1/entitlements': { query: entitlementsQuery, answer: api.entitlementListSchema },
  'GET /v1/entitlement-reviews': { query: reviewsQuery, answer: api.entitlementReviewListSchema },
  'POST /v1/entitlement-reviews/{id}/response': {
    path: caseId,
    body: reviewResponseBody,
    answer: api.entitlementReviewAnsweredSchema,
  },
  'POST /v1/entitlement-reviews/{id}/decision': {
    path: caseId,
    body: reviewDecisionBody,
    answer: api.entitlementReviewDecidedSchema,
  },
  'POST /v1/household-events': { body: householdEventBody, answer: api.householdEventAnswerSchema },

  'GET /v1/ops/sla': { query: slaBoardQuery, answer: ops.slaBoardSchema },
  'GET /v1/ops/sla/history': { query: slaHistoryQuery, answer: ops.slaHistorySchema },
  'GET /v1/ops/forecast': { query: forecastQuery, answer: ops.forecastSchema },
  'GET /v1/ops/queues': { answer: ops.queueListSchema },
  'GET /v1/ops/queues/{name}/jobs': { query: listJobsQuery, answer: ops.jobPageSchema },
  'POST /v1/ops/queues/{name}/jobs/{id}/retry': { answer: ops.jobRetriedSchema },
  'POST /v1/ops/queues/{name}/jobs/{id}/discard': { answer: ops.jobDiscardedSchema },
  'POST /v1/ops/queues/{name}/retry-failed': { answer: ops.queueRetriedSchema },
  'POST /v1/ops/queues/{name}/pause': { answer: ops.queuePausedSchema },
  'POST /v1/ops/queues/{name}/resume': { answer: ops.queuePausedSchema },
  'GET /v1/ops/assumptions': { answer: ops.assumptionsSchema },
  'GET /v1/ops/satisfaction': { query: satisfactionQuery, answer: api.satisfactionResultsSchema },
  'GET /v1/ops/cases/stuck': { query: stuckQuery, answer: ops.stuckCasesSchema },
  'POST /v1/ops/cases/{id}/redrive': { path: caseId, answer: ops.redriveSchema },
  'GET /v1/ops/cases/{id}/trace': { path: caseId, answer: ops.caseTraceSchema },
  'GET /v1/ops/cases/{id}/replay': { path: caseId, answer: ops.caseReplaySchema },
  'GET /v1/ops/webhooks': { answer: api.webhookBacklogSchema },
  'POST /v1/ops/board/session': { answer: 'empty' },
  'DELETE /v1/ops/board/session': { answer: 'empty' },

  'GET /v1/console/sign-in': { answer: api.consoleSignInSchema },
  'GET /v1/dev/identities': { answer: api.devIdentitiesSchema },
  'POST /v1/dev/sign-in': { body: devSignInBody, answer: api.devSignInSchema },
};
