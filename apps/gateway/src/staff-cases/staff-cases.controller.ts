import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyRequest } from 'fastify';
import { LEASE_AT_MOST_MONTHS } from '@minsheng/workflows';
import { z } from 'zod';
import { CurrentStaff, StaffRoles } from '../auth/staff-auth.guard.js';
import type { StaffIdentity } from '../auth/staff-identity.js';
import { parseOrThrow, UuidParam } from '../problems/validation.js';
import { StaffCases } from './staff-cases.service.js';

export const objectionBody = z.object({ summary: z.string().min(1).max(2000) }).strict();
export const extensionBody = z.object({ reason: z.string().min(1).max(2000) }).strict();
/**
 * The unit allocated and the lease signed for it, as the housing authority numbers them, and the lease's term in
 * months: at most 5 years (住房和城乡建设部令第11号, docs/domain.md §3.8), the longest when not given.
 */
export const allocationBody = z
  .object({
    unit: z.string().trim().min(1).max(100),
    lease: z.string().trim().min(1).max(100),
    leaseMonths: z.int().min(1).max(LEASE_AT_MOST_MONTHS).optional(),
  })
  .strict();
export const waitingListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

/** Cases as the offices that work on them see them; any other case is 404. */
@ApiTags('cases (staff)')
@ApiBearerAuth()
@Controller('v1/staff/cases')
@StaffRoles('reviewer', 'supervisor')
export class StaffCasesController {
  constructor(private readonly cases: StaffCases) {}

  @Get('waiting-list')
  @ApiOperation({
    summary:
      'The 公租房 waiting list (轮候) of the caller’s department and divisions: priority households first, then by registration.',
  })
  waitingList(@CurrentStaff() staff: StaffIdentity, @Query() query: unknown) {
    return this.cases.waitingList(staff, parseOrThrow(waitingListQuery, query, 'query').limit);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The case with its tasks and clocks (no personal data: see GET /v1/tasks/{id}).' })
  @ApiResponse({ status: 404, description: 'CASE.NOT_FOUND, also for a case of another office' })
  byId(@CurrentStaff() staff: StaffIdentity, @Param('id', UuidParam) id: string) {
    return this.cases.byId(staff, id);
  }

  @Get(':id/events')
  @ApiOperation({ summary: 'Every event of the case in order, with the hash chain.' })
  events(@CurrentStaff() staff: StaffIdentity, @Param('id', UuidParam) id: string) {
    return this.cases.events(staff, id);
  }

  @Get(':id/verify')
  @ApiOperation({ summary: 'Recomputes the hash chain; says at which event it first breaks.' })
  @ApiResponse({
    status: 200,
    schema: {
      example: {
        caseId: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b',
        ok: false,
        events: 9,
        brokenAtSeq: 4,
        reason: 'content changed',
        headMatches: true,
      },
    },
  })
  verify(@CurrentStaff() staff: StaffIdentity, @Param('id', UuidParam) id: string) {
    return this.cases.verify(staff, id);
  }

  @Post(':id/objections')
  @HttpCode(202)
  @ApiOperation({ summary: 'Record an objection received during the public notice (公示); the procedure reviews it.' })
  @ApiResponse({ status: 409, description: 'CASE.WRONG_STATUS outside the public notice, CASE.CLOSED' })
  objection(
    @CurrentStaff() staff: StaffIdentity,
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ) {
    const { summary } = parseOrThrow(objectionBody, body, 'body');
    return this.cases.objection(staff, id, summary, String(request.id));
  }

  @Post(':id/extension')
  @HttpCode(202)
  @StaffRoles('supervisor', 'operator')
  @ApiOperation({ summary: 'Extend the overall limit (低保: 30 → 45 working days, once) with a recorded reason.' })
  extension(
    @CurrentStaff() staff: StaffIdentity,
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ) {
    const { reason } = parseOrThrow(extensionBody, body, 'body');
    return this.cases.extension(staff, id, reason, String(request.id));
  }

  @Post(':id/allocation')
  @HttpCode(202)
  @ApiOperation({
    summary:
      '公租房 配租: allocate a unit to a household on the waiting list, with its lease; the district housing authority only.',
  })
  @ApiResponse({ status: 403, description: 'AUTH.FORBIDDEN: not the district office of the case’s department' })
  @ApiResponse({ status: 409, description: 'CASE.WRONG_STATUS when the case is not on the waiting list, CASE.CLOSED' })
  allocation(
    @CurrentStaff() staff: StaffIdentity,
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ) {
    const { unit, lease, leaseMonths } = parseOrThrow(allocationBody, body, 'body');
    return this.cases.allocation(staff, id, { unit, lease, leaseMonths }, String(request.id));
  }
}
