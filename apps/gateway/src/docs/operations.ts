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
import { slaBoardQuery } from '../clocks/sla.request.js';
import {
  allocationBody,
  extensionBody,
  objectionBody,
  waitingListQuery,
} from '../staff-cases/staff-cases.controller.js';
import { decisionBody, inboxQuery } from '../tasks/task.requests.js';
import * as api from './api-schemas.js';

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
  /** The success answer: a schema (JSON), `'empty'` (no body) or `'text'` (text/plain). */
  readonly answer: z.ZodType | 'empty' | 'text';
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
devSignInBody.register(api.requestSchemas, { id: 'DevSignInRequest' });

const caseId = { id: z.uuid() };
const year = { year: yearParam };

export const OPERATIONS: Readonly<Record<string, OperationContract>> = {
  'GET /health/live': { answer: api.healthSchema },
  'GET /health/ready': { answer: api.healthSchema },
  'GET /metrics': { answer: 'text' },

  'GET /v1/catalog/domains': { answer: api.catalogDomainsSchema },
  'GET /v1/catalog/items': { query: listItemsQuery, answer: api.catalogItemPageSchema },
  'GET /v1/catalog/items/{code}': { answer: api.catalogItemSchema },
  'GET /v1/catalog/departments': { answer: api.departmentsSchema },
  'GET /v1/catalog/divisions': { query: listDivisionsQuery, answer: api.divisionsSchema },
  'GET /v1/catalog/parameters': { query: listParametersQuery, answer: api.parametersSchema },
  'POST /v1/catalog/parameters': { body: publishParameterBody, answer: api.parameterPublishedSchema },

  'GET /v1/calendar/due-date': { query: dueDateQuery, answer: api.dueDateSchema },
  'GET /v1/calendar/{year}': { path: year, query: calendarQuery, answer: api.calendarYearSchema },
  'POST /v1/calendar/{year}/draft': { path: year, answer: api.calendarDraftSchema },
  'PUT /v1/calendar/{year}': { path: year, body: publishCalendarBody, answer: api.calendarPublishedSchema },
  'GET /v1/calendar/{year}/recomputation': { path: year, answer: api.calendarRecomputationsSchema },

  'POST /v1/applications': { body: submitApplicationRequest, answer: api.submittedApplicationSchema },
  'GET /v1/cases': { query: portalReferenceQuery, answer: api.caseListSchema },
  'GET /v1/cases/{id}': { path: caseId, answer: api.caseSchema },
  'GET /v1/cases/{id}/events': { path: caseId, answer: api.caseEventsSchema },
  'POST /v1/cases/{id}/withdrawal': { path: caseId, body: withdrawalRequest, answer: api.commandAcceptedSchema },
  'POST /v1/cases/{id}/supplements': { path: caseId, body: supplementRequest, answer: api.commandAcceptedSchema },
  'POST /v1/cases/{id}/objections': { path: caseId, body: objectionRequest, answer: api.commandAcceptedSchema },

  'GET /v1/tasks': { query: inboxQuery, answer: api.taskPageSchema },
  'GET /v1/tasks/{id}': { path: caseId, answer: api.taskDetailSchema },
  'POST /v1/tasks/{id}/claim': { path: caseId, answer: api.taskClaimSchema },
  'POST /v1/tasks/{id}/release': { path: caseId, answer: api.taskClaimSchema },
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

  'GET /v1/ops/sla': { query: slaBoardQuery, answer: api.slaBoardSchema },
  'GET /v1/ops/forecast': { query: forecastQuery, answer: api.forecastSchema },
  'GET /v1/ops/queues': { answer: api.queueListSchema },
  'GET /v1/ops/queues/{name}/jobs': { query: listJobsQuery, answer: api.jobPageSchema },
  'POST /v1/ops/queues/{name}/jobs/{id}/retry': { answer: api.jobActionSchema },
  'POST /v1/ops/queues/{name}/jobs/{id}/discard': { answer: api.jobActionSchema },
  'POST /v1/ops/queues/{name}/retry-failed': { answer: api.jobActionSchema },
  'POST /v1/ops/queues/{name}/pause': { answer: api.jobActionSchema },
  'POST /v1/ops/queues/{name}/resume': { answer: api.jobActionSchema },
  'GET /v1/ops/assumptions': { answer: api.assumptionsSchema },
  'GET /v1/ops/cases/stuck': { query: stuckQuery, answer: api.stuckCasesSchema },
  'POST /v1/ops/cases/{id}/redrive': { path: caseId, answer: api.redriveSchema },
  'GET /v1/ops/cases/{id}/trace': { path: caseId, answer: api.caseTraceSchema },
  'GET /v1/ops/cases/{id}/replay': { path: caseId, answer: api.caseReplaySchema },
  'POST /v1/ops/board/session': { answer: 'empty' },
  'DELETE /v1/ops/board/session': { answer: 'empty' },

  'GET /v1/dev/identities': { answer: api.devIdentitiesSchema },
  'POST /v1/dev/sign-in': { body: devSignInBody, answer: api.devSignInSchema },
};
