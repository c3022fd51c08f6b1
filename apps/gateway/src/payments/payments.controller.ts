import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { CurrentStaff, StaffRoles } from '../auth/staff-auth.guard.js';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { parseOrThrow, UuidParam } from '../problems/validation.js';
import { EntitlementChanges, EntitlementsService } from './entitlements.service.js';
import { EntitlementReviewsService } from './entitlement-reviews.service.js';
import { HouseholdEvents } from './household-events.service.js';
import { PaymentFilesService } from './payment-files.service.js';
import { PaymentRunsService } from './payment-runs.service.js';
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
} from './payments.request.js';

/**
 * A reviewer's, supervisor's or operator's change of an entitlement's status (`path`): the same route, roles and
 * refusals for each kind of change.
 */
function EntitlementChangeRoute(path: 'suspension' | 'resumption' | 'ending', summary: string) {
  return applyDecorators(
    Post(`entitlements/:id/${path}`),
    HttpCode(200),
    StaffRoles('reviewer', 'supervisor', 'operator'),
    ApiOperation({
      summary,
      description:
        'Recorded on the case’s chain with the reason, the effective month, who decided and the status before and ' +
        'after (docs/money.md "Suspension, resumption, ending"). Scoped to the caller’s divisions.',
    }),
    ApiParam({ name: 'id', format: 'uuid' }),
    ApiResponse({ status: 200, description: 'The entitlement’s new status and the event recorded.' }),
    ApiResponse({ status: 400, description: 'Malformed id or body, or an unknown reason (VALIDATION.FAILED).' }),
    ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' }),
    ApiResponse({
      status: 403,
      description: 'The token lacks a reviewer, supervisor or operator role (AUTH.FORBIDDEN).',
    }),
    ApiResponse({ status: 404, description: 'No such entitlement in your scope (ENTITLEMENT.NOT_FOUND).' }),
    ApiResponse({ status: 409, description: 'Its status does not take this change (ENTITLEMENT.WRONG_STATUS).' }),
  );
}

/** Money (docs/money.md): entitlements and the monthly payment runs that pay them. */
@ApiTags('payments')
@ApiBearerAuth('reviewer')
@Controller('v1')
export class PaymentsController {
  constructor(
    private readonly runs: PaymentRunsService,
    private readonly entitlements: EntitlementsService,
    private readonly files: PaymentFilesService,
    private readonly changes: EntitlementChanges,
    private readonly reviews: EntitlementReviewsService,
    private readonly householdEvents: HouseholdEvents,
  ) {}

  @Post('payment-runs')
  @HttpCode(200)
  @StaffRoles('operator', 'finance')
  @ApiOperation({
    summary: 'Open the payment run of a month (the worker builds its lines). Operators and finance; audited.',
    description:
      'One run per month: asking again answers the run already open (`opened: false`). The worker builds one line ' +
      'per entitlement payable in the month, in batches, unique per entitlement and month, so nobody is paid twice; ' +
      'follow the build at `GET /v1/payment-runs/{id}`. The scheduler opens each month’s run itself on the ' +
      'published day of the month (parameter `payment-runs.day-of-month`, `POST /v1/catalog/parameters`).',
  })
  @ApiBody({ schema: { example: { month: '2027-03' } } })
  @ApiResponse({ status: 200, description: 'The run, and whether this request opened it.' })
  @ApiResponse({ status: 400, description: 'Not a month YYYY-MM (VALIDATION.FAILED).' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator or finance role (AUTH.FORBIDDEN).' })
  async open(@Body() body: unknown, @CurrentStaff() staff: StaffIdentity, @Req() request: FastifyRequest) {
    const { month } = parseOrThrow(openPaymentRunBody, body, 'body');
    const { run, opened } = await this.runs.open(month, staff, String(request.id));
    return { ...run, opened, location: `/v1/payment-runs/${run.id}` };
  }

  @Get('payment-runs')
  @StaffRoles('operator', 'finance')
  @ApiOperation({ summary: 'The payment runs, latest month first, with their state and progress.' })
  @ApiResponse({ status: 200, description: 'The runs.' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator or finance role (AUTH.FORBIDDEN).' })
  async list() {
    return { items: await this.runs.list() };
  }

  @Get('payment-runs/:id')
  @StaffRoles('operator', 'finance')
  @ApiOperation({
    summary: 'A payment run: state (building, ready, exported, confirmed), progress, and totals.',
    description:
      'Progress counts the entitlements examined of those there were when the build started. Totals: lines and ' +
      'amount in fen, paid and returned lines, lines carried from an earlier run, and per district and bank.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'The run with its totals.' })
  @ApiResponse({ status: 400, description: 'The id is not a UUID (VALIDATION.FAILED).' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator or finance role (AUTH.FORBIDDEN).' })
  @ApiResponse({ status: 404, description: 'No such run (PAYMENT_RUN.NOT_FOUND).' })
  get(@Param('id', UuidParam) id: string) {
    return this.runs.get(id);
  }

  @Get('payment-runs/:id/export')
  @StaffRoles('operator', 'finance')
  @ApiOperation({
    summary: 'The payment file of one district and bank (CSV). Operators and finance; audited.',
    description:
      'Columns: line_id, month, case_tracking_number, item_code, district, division, bank, beneficiary_name, ' +
      'account_number, amount_yuan (two decimals), amount_fen; a last row `#checksum,lines=N,total_fen=X,sha256=…` ' +
      'over every row before it (docs/money.md "The payment file"). The pending lines only. The first export makes ' +
      'a ready run `exported`; a run still building answers 409.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'The CSV file.' })
  @ApiResponse({ status: 400, description: 'Malformed id or query (VALIDATION.FAILED).' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator or finance role (AUTH.FORBIDDEN).' })
  @ApiResponse({ status: 404, description: 'No such run (PAYMENT_RUN.NOT_FOUND).' })
  @ApiResponse({ status: 409, description: 'The run is still building (PAYMENT_RUN.NOT_READY).' })
  async export(
    @Param('id', UuidParam) id: string,
    @Query() query: unknown,
    @CurrentStaff() staff: StaffIdentity,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { district, bank } = parseOrThrow(exportQuery, query, 'query');
    const { month, csv } = await this.files.export(id, district, bank, staff, String(request.id));
    const name = `payments-${month}-${district}-${encodeURIComponent(bank)}.csv`;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    void reply.header('content-disposition', `attachment; filename="${name}"`);
    return csv;
  }

  @Post('payment-runs/:id/results')
  @HttpCode(200)
  @StaffRoles('operator', 'finance')
  @ApiOperation({
    summary: 'Import the bank’s result file of an exported run: paid and returned lines. Audited.',
    description:
      '`file` is the bank’s CSV: header `line_id,outcome,reason`, one row per line, `paid` or `returned` with a ' +
      'reason (wrong-account, deceased, account-closed, other). A file with any bad row, or naming a line not in the ' +
      'run, is refused whole, each problem named, and nothing is written. Importing the same file again changes ' +
      'nothing (`alreadySettled`). When no line is pending any more, the run is `confirmed`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: { example: { file: 'line_id,outcome,reason\r\n<line id>,returned,wrong-account\r\n' } } })
  @ApiResponse({ status: 200, description: 'Lines paid and returned now, lines settled before, and the run state.' })
  @ApiResponse({ status: 400, description: 'A bad row or an unknown line (VALIDATION.FAILED).' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator or finance role (AUTH.FORBIDDEN).' })
  @ApiResponse({ status: 404, description: 'No such run (PAYMENT_RUN.NOT_FOUND).' })
  @ApiResponse({ status: 409, description: 'The run has not been exported (PAYMENT_RUN.NOT_EXPORTED).' })
  results(
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffIdentity,
    @Req() request: FastifyRequest,
  ) {
    const { file } = parseOrThrow(bankResultsBody, body, 'body');
    return this.files.results(id, file, staff, String(request.id));
  }

  @Post('payment-lines/:id/correction')
  @HttpCode(200)
  @StaffRoles('reviewer', 'supervisor', 'operator')
  @ApiOperation({
    summary: 'Record that a returned payment’s account was corrected: it is paid in the next run. Audited.',
    description:
      'The street office of the line’s household (or an operator). The line keeps its month and amount and moves ' +
      'into the next run built, so it is still paid at most once (docs/money.md "Returned payments").',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'The line, now corrected.' })
  @ApiResponse({ status: 400, description: 'The id is not a UUID (VALIDATION.FAILED).' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({
    status: 403,
    description: 'The token lacks a reviewer, supervisor or operator role (AUTH.FORBIDDEN).',
  })
  @ApiResponse({ status: 409, description: 'No returned line with this id in your scope (PAYMENT_LINE.NOT_RETURNED).' })
  correct(@Param('id', UuidParam) id: string, @CurrentStaff() staff: StaffIdentity, @Req() request: FastifyRequest) {
    return this.files.correct(id, staff, String(request.id));
  }

  @EntitlementChangeRoute(
    'suspension',
    'Suspend an entitlement (no payment while suspended), with a reason code and effective month.',
  )
  suspension(
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffIdentity,
    @Req() request: FastifyRequest,
  ) {
    return this.changes.apply(id, 'suspension', parseOrThrow(suspensionBody, body, 'body'), staff, String(request.id));
  }

  @EntitlementChangeRoute(
    'resumption',
    'Resume a suspended entitlement, with a reason code and effective month; `payArrears` pays the months suspended.',
  )
  resumption(
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffIdentity,
    @Req() request: FastifyRequest,
  ) {
    return this.changes.apply(id, 'resumption', parseOrThrow(resumptionBody, body, 'body'), staff, String(request.id));
  }

  @EntitlementChangeRoute('ending', 'End an entitlement: the last month paid is the one before the effective month.')
  ending(
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffIdentity,
    @Req() request: FastifyRequest,
  ) {
    return this.changes.apply(id, 'ending', parseOrThrow(endingBody, body, 'body'), staff, String(request.id));
  }

  @Post('household-events')
  @HttpCode(200)
  @StaffRoles('operator')
  @ApiOperation({
    summary:
      'Receive a household event from another register: death, move out of the district, income above the standard.',
    description:
      'Operators (the data-sharing exchange calls with an operator token; there is no separate data-sharing role). ' +
      'The person is named by resident ID number. A death registration or a move out of the district ends the ' +
      'entitlements not yet ended (reason deceased / moved-out-of-district), an income above the standard suspends ' +
      'them (income-above-standard), effective the month after the event; each change is an event on its case’s ' +
      'chain. The same `eventId` again answers the first answer (`replayed: true`) and changes nothing; the same id ' +
      'with a different event answers 409 (docs/money.md "Changes triggered by events"). Audited.',
  })
  @ApiBody({
    schema: {
      example: {
        eventId: 'hukou-2026-000123',
        kind: 'death-registration',
        idNumber: '650102195003010012',
        occurredOn: '2026-09-28',
        source: 'public security household register',
      },
    },
  })
  @ApiResponse({ status: 200, description: 'The entitlements changed and those left as they were.' })
  @ApiResponse({
    status: 400,
    description:
      'A bad field or date (VALIDATION.FAILED), or ID number (ID_NUMBER.BAD_*, ID_NUMBER.FUTURE_BIRTH_DATE).',
  })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator role (AUTH.FORBIDDEN).' })
  @ApiResponse({ status: 409, description: 'The event id was used for another event (HOUSEHOLD_EVENT.CONFLICT).' })
  householdEvent(@Body() body: unknown, @CurrentStaff() staff: StaffIdentity, @Req() request: FastifyRequest) {
    return this.householdEvents.receive(parseOrThrow(householdEventBody, body, 'body'), staff, String(request.id));
  }

  @Get('entitlements')
  @StaffRoles('reviewer', 'supervisor', 'operator', 'auditor', 'finance')
  @ApiOperation({
    summary: 'Entitlements (monthly benefits and one-off payments), by case and status.',
    description:
      'Each with its monthly amount in fen, first and last month, status, and the basis it was computed from (the ' +
      'parameter values used). Scoped in SQL to the caller’s divisions (operators see every one).',
  })
  @ApiResponse({ status: 200, description: 'The entitlements.' })
  @ApiResponse({ status: 400, description: 'Malformed query (VALIDATION.FAILED).' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks a staff role (AUTH.FORBIDDEN).' })
  listEntitlements(@Query() query: unknown, @CurrentStaff() staff: StaffIdentity) {
    return this.entitlements.list(staff, parseOrThrow(entitlementsQuery, query, 'query'));
  }

  @Get('entitlement-reviews')
  @StaffRoles('reviewer', 'supervisor', 'operator', 'auditor')
  @ApiOperation({
    summary: 'Periodic reviews (动态管理) of entitlements, by status and entitlement.',
    description:
      'A review opens at the street office on the entitlement’s review date, with the day by which the household ' +
      'must answer (the published limit in working days); one not answered by then lapses and the entitlement is ' +
      'suspended. Once answered, the street office has its own decision limit; past it the review is overdue ' +
      '(awaiting office) and the household is not suspended (docs/money.md "Periodic review"). Scoped in SQL to ' +
      'the caller’s divisions.',
  })
  @ApiResponse({ status: 200, description: 'The reviews, those due soonest first.' })
  @ApiResponse({ status: 400, description: 'Malformed query (VALIDATION.FAILED).' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks a staff role (AUTH.FORBIDDEN).' })
  listReviews(@Query() query: unknown, @CurrentStaff() staff: StaffIdentity) {
    return this.reviews.list(staff, parseOrThrow(reviewsQuery, query, 'query'));
  }

  @Post('entitlement-reviews/:id/response')
  @HttpCode(200)
  @StaffRoles('reviewer', 'supervisor', 'operator')
  @ApiOperation({
    summary: 'Record that the household answered its periodic review (came in, supplied its papers).',
    description:
      'Dated by the server’s clock. The no-answer lapse no longer applies; the street office’s decision limit ' +
      '(the published working days) is counted from the answer, and an undecided review past it shows as overdue ' +
      'without suspending the household. ENTITLEMENT_REVIEW_ANSWERED goes on the case’s chain with the parameter ' +
      'used (docs/money.md "Periodic review").',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'The answer recorded and the street office’s decision limit.' })
  @ApiResponse({ status: 400, description: 'Malformed id or body (VALIDATION.FAILED).' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({
    status: 403,
    description: 'The token lacks a reviewer, supervisor or operator role (AUTH.FORBIDDEN).',
  })
  @ApiResponse({ status: 404, description: 'No such review in your scope (REVIEW.NOT_FOUND).' })
  @ApiResponse({
    status: 409,
    description:
      'The review is closed (REVIEW.NOT_OPEN), answered already (REVIEW.ALREADY_ANSWERED) or past its answer ' +
      'limit (REVIEW.ANSWER_PAST_LIMIT).',
  })
  respondToReview(
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffIdentity,
    @Req() request: FastifyRequest,
  ) {
    return this.reviews.respond(id, parseOrThrow(reviewResponseBody, body, 'body'), staff, String(request.id));
  }

  @Post('entitlement-reviews/:id/decision')
  @HttpCode(200)
  @StaffRoles('reviewer', 'supervisor', 'operator')
  @ApiOperation({
    summary: 'Decide a periodic review: continue, adjust, suspend, start the gradual exit (渐退) or end.',
    description:
      'continue and adjust set the next review date from the published interval; adjust and gradual-exit (低保) ' +
      'take the verified per-capita income and member count and use the standard in force; gradual-exit pays the ' +
      'published number of months, then the entitlement ends. Each change is an event on the case’s chain with ' +
      'the parameter values used (docs/money.md "Periodic review").',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'The entitlement after the decision and the events recorded.' })
  @ApiResponse({
    status: 400,
    description: 'Malformed id or body, a missing reason or findings (VALIDATION.FAILED).',
  })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({
    status: 403,
    description: 'The token lacks a reviewer, supervisor or operator role (AUTH.FORBIDDEN).',
  })
  @ApiResponse({ status: 404, description: 'No such review in your scope (REVIEW.NOT_FOUND).' })
  @ApiResponse({
    status: 409,
    description:
      'The review is closed (REVIEW.NOT_OPEN) or the status takes no such change (ENTITLEMENT.WRONG_STATUS).',
  })
  @ApiResponse({
    status: 422,
    description:
      'The outcome does not fit the findings or the kind (REVIEW.INCOME_AT_OR_ABOVE_STANDARD, ' +
      'REVIEW.INCOME_BELOW_STANDARD, REVIEW.OUTCOME_NOT_ALLOWED).',
  })
  decideReview(
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffIdentity,
    @Req() request: FastifyRequest,
  ) {
    return this.reviews.decide(id, parseOrThrow(reviewDecisionBody, body, 'body'), staff, String(request.id));
  }
}
