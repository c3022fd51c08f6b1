import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CurrentStaff, StaffRoles } from '../auth/staff-auth.guard.js';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { parseOrThrow } from '../problems/validation.js';
import { OperatorAudit } from './operator-audit.js';
import { StuckCases } from './stuck-cases.js';

export const stuckQuery = z
  .object({
    /** Commands younger than this are normally still in flight. */
    olderThanSeconds: z.coerce.number().int().min(0).max(86_400).default(60),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

const STUCK_EXAMPLE = {
  caseId: '0d9a3f0c-6e2b-4b8e-9d8c-2f1e7a6b5c4d',
  trackingNumber: 'MS-2025-000123',
  itemCode: 'BPS-057',
  status: 'in-review',
  departmentCode: 'civil-affairs',
  division: '650102001',
  commandId: '5b3c8f0e-2d1a-4c1e-9a55-8f5a0d6f1b2c',
  eventType: 'DECIDE',
  commandWrittenAt: '2025-10-09T02:00:00.000Z',
  relayed: true,
  jobId: 'cmd-5b3c8f0e-2d1a-4c1e-9a55-8f5a0d6f1b2c',
  reason: 'failed',
  failedReason: 'deadlock detected',
  attemptsMade: 5,
};

const STUCK_CLOCK_EXAMPLE = {
  caseId: '7c1e2a4b-3f5d-4e6a-8b9c-0d1e2f3a4b5c',
  trackingNumber: 'MS-2025-000124',
  itemCode: 'BPS-064',
  status: 'in-notice',
  departmentCode: 'civil-affairs',
  division: '650102002',
  jobId: 'clock-2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d-due-g1',
  reason: 'no-timer',
  clock: {
    clockId: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
    name: 'notice',
    generation: 1,
    dueAt: '2025-10-16T16:00:00.000Z',
    timer: 'due',
  },
};

/** Cases whose next step has no live job, and the one-click re-drive. */
@ApiTags('operators')
@ApiBearerAuth('reviewer')
@StaffRoles('operator')
@Controller('v1/ops/cases')
export class StuckCasesController {
  constructor(
    private readonly stuckCases: StuckCases,
    private readonly audit: OperatorAudit,
  ) {}

  @Get('stuck')
  @ApiOperation({
    summary:
      'Open cases whose latest command has no applied event and whose job is missing or failed (reason missing, ' +
      'failed), and open cases whose running clock has no live job for its next timer (reason no-timer).',
  })
  @ApiResponse({ status: 200, schema: { example: { items: [STUCK_EXAMPLE, STUCK_CLOCK_EXAMPLE] } } })
  async stuck(@Query() query: unknown) {
    const { olderThanSeconds, limit } = parseOrThrow(stuckQuery, query, 'query');
    return { items: await this.stuckCases.list(olderThanSeconds, limit) };
  }

  @Post(':id/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a stuck case’s command back on its queue (deterministic job id). Audited.' })
  @ApiResponse({ status: 200, schema: { example: { redriven: STUCK_EXAMPLE, jobId: STUCK_EXAMPLE.jobId } } })
  @ApiResponse({ status: 409, description: 'The case is not stuck (CASE.NOT_STUCK).' })
  async redrive(
    @Param('id', new ParseUUIDPipe()) caseId: string,
    @CurrentStaff() staff: StaffIdentity,
    @Req() request: FastifyRequest,
  ) {
    const { stuck, jobId } = await this.stuckCases.redrive(caseId);
    await this.audit.record(staff, String(request.id), 'case.redrive', `case:${caseId}`, {
      commandId: stuck.commandId,
      jobId,
      reason: stuck.reason,
    });
    return { redriven: stuck, jobId };
  }
}
