import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { StaffRoles } from '../auth/staff-auth.guard.js';
import { CaseTraces } from './case-trace.js';
import { UuidParam } from '../problems/validation.js';

@ApiTags('operators')
@ApiBearerAuth('reviewer')
@StaffRoles('operator')
@Controller('v1/ops/cases')
export class CaseTraceController {
  constructor(private readonly traces: CaseTraces) {}

  @Get(':id/trace')
  @ApiOperation({
    summary:
      'One case’s requests, command and clock-arming jobs, clock timers (pending with their fire time, fired, failed), events, tasks and clocks in time order (ids and times only).',
  })
  @ApiResponse({
    status: 200,
    schema: {
      example: {
        case: {
          id: '0d9a3f0c-6e2b-4b8e-9d8c-2f1e7a6b5c4d',
          trackingNumber: 'MS-2025-000123',
          itemCode: 'BPS-057',
          status: 'in-review',
          submittedAt: '2025-10-09T02:00:00.000Z',
          closedAt: null,
        },
        requests: [{ requestId: 'req-7f3a', firstAt: '2025-10-09T02:00:00.000Z', events: 1, commands: 1 }],
        jobs: [],
        timers: [
          {
            id: 'clock-3e1b…-due-g0',
            timer: 'due',
            clock: 'overall',
            generation: 0,
            current: true,
            state: 'delayed',
            armedAt: '2025-10-10T03:00:00.050Z',
            fireAt: '2025-11-21T16:00:00.000Z',
            processedAt: null,
            finishedAt: null,
            attemptsMade: 0,
            failedReason: null,
            result: null,
          },
        ],
        timeline: [
          { at: '2025-10-09T02:00:00.000Z', kind: 'event', seq: 1, type: 'SUBMIT', requestId: 'req-7f3a' },
          { at: '2025-10-09T02:00:00.000Z', kind: 'outbox', commandId: '5b3c8f0e-…', requestId: 'req-7f3a' },
          { at: '2025-11-21T16:00:00.000Z', kind: 'timer.pending', timer: 'due', clock: 'overall', state: 'delayed' },
        ],
      },
    },
  })
  @ApiResponse({ status: 404, description: 'No such case (CASE.NOT_FOUND).' })
  trace(@Param('id', UuidParam) caseId: string) {
    return this.traces.trace(caseId);
  }
}
