import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyRequest } from 'fastify';
import { CurrentStaff, StaffRoles } from '../auth/staff-auth.guard.js';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { parseOrThrow, UuidParam } from '../problems/validation.js';
import { EntitlementsService } from './entitlements.service.js';
import { PaymentRunsService } from './payment-runs.service.js';
import { entitlementsQuery, openPaymentRunBody } from './payments.request.js';

/** Money (docs/money.md): entitlements and the monthly payment runs that pay them. */
@ApiTags('payments')
@ApiBearerAuth('reviewer')
@Controller('v1')
export class PaymentsController {
  constructor(
    private readonly runs: PaymentRunsService,
    private readonly entitlements: EntitlementsService,
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
      'configured day (`PAYMENT_RUN_DAY`).',
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
}
