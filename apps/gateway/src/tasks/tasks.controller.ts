import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyRequest } from 'fastify';
import { CurrentStaff, StaffRoles } from '../auth/staff-auth.guard.js';
import type { StaffIdentity } from '../auth/staff-identity.js';
import { parseOrThrow, UuidParam } from '../problems/validation.js';
import { TaskCommands } from './task-commands.js';
import { TaskReads } from './task-reads.js';
import { decisionBody, inboxQuery, reassignmentBody } from './task.requests.js';

/** The reviewer inbox: tasks of the caller's department, level and divisions only (others are 404). */
@ApiTags('tasks (reviewers)')
@ApiBearerAuth()
@Controller('v1/tasks')
@StaffRoles('reviewer', 'supervisor')
export class TasksController {
  constructor(
    private readonly reads: TaskReads,
    private readonly commands: TaskCommands,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Open tasks for the caller, by due time; filters itemCode, step, kind, dueBefore, overdue, claimedByMe, claimed.',
  })
  @ApiResponse({
    status: 200,
    description: 'A page of tasks and the cursor of the next page',
    schema: {
      example: {
        items: [
          {
            id: '7b0d4c1e-5f3a-4e2b-9c8d-1a2b3c4d5e6f',
            caseId: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b',
            trackingNumber: 'WLMQ-2026-00000123',
            itemCode: 'BPS-064',
            step: 'acceptance',
            kind: 'acceptance',
            level: 'street',
            departmentCode: 'civil-affairs',
            divisionCode: '650102002',
            status: 'open',
            outcomes: ['approve', 'return'],
            rejectReasons: [],
            dueAt: null,
            overdue: false,
            claimedBy: null,
            openedAt: '2026-03-02T01:30:02.000Z',
            closedAt: null,
          },
        ],
        nextCursor: null,
      },
    },
  })
  inbox(@CurrentStaff() staff: StaffIdentity, @Query() query: unknown) {
    return this.reads.inbox(staff, parseOrThrow(inboxQuery, query, 'query'));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A task with its case and the applicant’s data in clear (each read is audited).' })
  @ApiResponse({ status: 404, description: 'TASK.NOT_FOUND, also for a task outside the caller’s office' })
  detail(@CurrentStaff() staff: StaffIdentity, @Param('id', UuidParam) id: string, @Req() request: FastifyRequest) {
    return this.reads.detail(staff, id, String(request.id));
  }

  @Post(':id/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Claim the task so other reviewers of the office see it taken.' })
  @ApiResponse({ status: 409, description: 'TASK.CLAIMED_BY_ANOTHER, TASK.ALREADY_DECIDED, TASK.DECISION_PENDING' })
  claim(@CurrentStaff() staff: StaffIdentity, @Param('id', UuidParam) id: string) {
    return this.commands.claim(staff, id);
  }

  @Post(':id/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a claimed task back to the office (the claimant, or a supervisor).' })
  @ApiResponse({ status: 409, description: 'TASK.CLAIMED_BY_ANOTHER, TASK.ALREADY_DECIDED, TASK.DECISION_PENDING' })
  release(@CurrentStaff() staff: StaffIdentity, @Param('id', UuidParam) id: string) {
    return this.commands.release(staff, id);
  }

  @Post(':id/reassignment')
  @HttpCode(200)
  @StaffRoles('supervisor')
  @ApiOperation({
    summary:
      'A supervisor of the task’s office hands a claimed task to another reviewer (`to`: their staff subject) with a reason; recorded as TASK_REASSIGNED on the case and in the audit log. Reassigning to the present claimant changes nothing.',
  })
  @ApiResponse({
    status: 403,
    description: 'AUTH.FORBIDDEN (not a supervisor), TASK.SEPARATION_OF_DUTIES (a relative)',
  })
  @ApiResponse({
    status: 409,
    description: 'TASK.NOT_CLAIMED, TASK.ALREADY_DECIDED, TASK.DECISION_PENDING',
  })
  reassign(
    @CurrentStaff() staff: StaffIdentity,
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ) {
    return this.commands.reassign(staff, id, parseOrThrow(reassignmentBody, body, 'body'), String(request.id));
  }

  @Post(':id/decision')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Request a decision on the task: approve, reject (reasonCode of the step), return (missingMaterials), or upheld / not-upheld for an objection. The engine applies it and answers on the task (decisionRequest: accepted, or refused with the procedure’s reason).',
  })
  @ApiResponse({
    status: 202,
    description: 'Recorded as the task’s decision request (the task is deciding); the engine answers it',
    schema: {
      example: {
        taskId: '7b0d4c1e-5f3a-4e2b-9c8d-1a2b3c4d5e6f',
        caseId: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b',
        commandId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
        outcome: 'approve',
        checks: [],
        state: 'requested',
        links: { task: '/v1/tasks/7b0d4c1e-5f3a-4e2b-9c8d-1a2b3c4d5e6f' },
      },
    },
  })
  @ApiResponse({ status: 403, description: 'TASK.SEPARATION_OF_DUTIES' })
  @ApiResponse({
    status: 409,
    description:
      'TASK.ALREADY_DECIDED (exactly one of two concurrent decisions wins), TASK.DECISION_PENDING (a request waits for the engine)',
  })
  @ApiResponse({
    status: 422,
    description: 'DECISION.INVALID (an outcome, reason code, missing materials or parts the task does not take)',
  })
  decide(
    @CurrentStaff() staff: StaffIdentity,
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ) {
    return this.commands.decide(staff, id, parseOrThrow(decisionBody, body, 'body'), String(request.id));
  }
}
