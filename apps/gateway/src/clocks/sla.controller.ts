import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, StaffRoles } from '../auth/staff-auth.guard.js';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { parseOrThrow, UuidParam } from '../problems/validation.js';
import { CaseClocks } from './case-clocks.js';
import { SlaBoard } from './sla-board.js';
import { SlaHistory } from './sla-history.js';
import { slaBoardQuery, slaHistoryQuery } from './sla.request.js';

/** Statutory clocks for staff: a case's due dates explained, and the board of late and at-risk steps. */
@ApiTags('sla')
@ApiBearerAuth('reviewer')
@Controller('v1')
export class SlaController {
  constructor(
    private readonly clocks: CaseClocks,
    private readonly board: SlaBoard,
    private readonly history: SlaHistory,
  ) {}

  @Get('staff/cases/:id/clocks')
  @StaffRoles('reviewer', 'supervisor', 'operator', 'auditor')
  @ApiOperation({
    summary: 'Each clock of a case and why it is due when it is.',
    description:
      'Start, unit, limit and legal source; the working days counted, the holidays and weekends skipped, the make-up ' +
      'working days counted; pauses (补正) and extensions; reminder, breach and escalation marks. Scoped in SQL to ' +
      'the caller’s department and divisions (operators see every case).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'The case’s clocks with their explanations.' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 404, description: 'No such case in the caller’s scope (CASE.NOT_FOUND).' })
  async caseClocks(@Param('id', UuidParam) id: string, @CurrentStaff() staff: StaffIdentity) {
    return this.clocks.of(id, staff);
  }

  @Get('ops/sla')
  @StaffRoles('operator', 'supervisor')
  @ApiOperation({
    summary: 'Late and at-risk steps by department and office: counts, oldest, time to breach.',
    description:
      'A step is late from the end of its due day (China Standard Time); at risk from its reminder (two working days ' +
      'before the due day). Paused and stopped clocks and waiting periods are not listed. Each office also counts ' +
      '`calendarMissing`: running clocks with no due time yet because their count reaches a calendar year not yet ' +
      'published (never late or at risk until it is). Supervisors see their department and divisions; operators ' +
      'see everything.',
  })
  @ApiQuery({ name: 'department', required: false, example: 'civil-affairs' })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiResponse({ status: 200, description: 'Totals, offices (with calendarMissing) and the most urgent steps.' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'Neither operator nor supervisor (AUTH.FORBIDDEN).' })
  async slaBoard(@Query() query: unknown, @CurrentStaff() staff: StaffIdentity) {
    const q = parseOrThrow(slaBoardQuery, query, 'query');
    return this.board.read(staff, { limit: q.limit, ...(q.department ? { department: q.department } : {}) });
  }

  @Get('ops/sla/history')
  @StaffRoles('operator', 'supervisor')
  @ApiOperation({
    summary: 'Late and at-risk clocks per office at the end of each of the last `days` days (the board over time).',
    description:
      'One point per day in China Standard Time (its end), the last one now: the counts per office in the order of ' +
      '`offices`, and totals. Reconstructed from the clocks as they stand (no snapshots are kept): a due date moved ' +
      'since (pause, extension, recomputed calendar) counts at its current value, so past points can differ from ' +
      'what the board showed that day (docs/operations.md). Scoped like the board.',
  })
  @ApiQuery({ name: 'department', required: false, example: 'civil-affairs' })
  @ApiQuery({ name: 'days', required: false, example: 14 })
  @ApiResponse({ status: 200, description: 'The offices and one point per day.' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'Neither operator nor supervisor (AUTH.FORBIDDEN).' })
  async slaHistory(@Query() query: unknown, @CurrentStaff() staff: StaffIdentity) {
    const q = parseOrThrow(slaHistoryQuery, query, 'query');
    return this.history.read(staff, { days: q.days, ...(q.department ? { department: q.department } : {}) });
  }
}
