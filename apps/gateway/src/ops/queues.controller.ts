import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@minsheng/infra';
import { CurrentStaff, StaffRoles } from '../auth/staff-auth.guard.js';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { parseOrThrow } from '../problems/validation.js';
import { OperatorAudit } from './operator-audit.js';
import { QueueOperations } from './queue-operations.js';
import { listJobsQuery } from './queues.request.js';

const QUEUE_EXAMPLE = {
  name: 'case-commands',
  paused: false,
  waiting: 3,
  prioritized: 0,
  active: 1,
  delayed: 0,
  failed: 1,
  completed: 420,
  completedLastMinute: 12,
  completedLastHour: 420,
  oldestWaitingSeconds: 2,
};
const JOB_EXAMPLE = {
  id: 'cmd-5b3c8f0e-2d1a-4c1e-9a55-8f5a0d6f1b2c',
  name: 'apply',
  state: 'failed',
  caseId: '0d9a3f0c-6e2b-4b8e-9d8c-2f1e7a6b5c4d',
  commandId: '5b3c8f0e-2d1a-4c1e-9a55-8f5a0d6f1b2c',
  eventType: 'DECIDE',
  attemptsMade: 5,
  attempts: 5,
  failedReason: 'deadlock detected',
  createdAt: '2025-10-09T02:00:00.000Z',
  processedAt: '2025-10-09T02:00:31.000Z',
  finishedAt: '2025-10-09T02:00:31.200Z',
  delayMs: 0,
};

/** Queue monitoring and repair for operators. Every change is written to the audit log with the request id. */
@ApiTags('operators')
@ApiBearerAuth('reviewer')
@StaffRoles('operator')
@Controller('v1/ops/queues')
export class QueuesController {
  constructor(
    private readonly operations: QueueOperations,
    private readonly audit: OperatorAudit,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Every queue of the contract: counts, throughput, oldest waiting job, paused or not; and the backend the ' +
      'queues run on (`redis`, or `postgres` without REDIS_URL: docs/operations.md "Queue backends" says what differs).',
  })
  @ApiResponse({ status: 200, schema: { example: { backend: 'redis', items: [QUEUE_EXAMPLE] } } })
  async list() {
    return { backend: this.config.queueBackend, items: await this.operations.overview() };
  }

  @Get(':name/jobs')
  @ApiOperation({ summary: 'Jobs of one queue in one state (default failed), newest failure first; ids only.' })
  @ApiResponse({ status: 200, schema: { example: { items: [JOB_EXAMPLE], nextCursor: null } } })
  @ApiResponse({ status: 404, description: 'No such queue (problem+json, code QUEUE.NOT_FOUND).' })
  async jobs(@Param('name') name: string, @Query() query: unknown) {
    const { state, limit, cursor } = parseOrThrow(listJobsQuery, query, 'query');
    return this.operations.list(name, state, Number(cursor), limit);
  }

  @Post(':name/jobs/:id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry one failed job (attempts reset). Audited.' })
  @ApiResponse({ status: 200, schema: { example: { job: { ...JOB_EXAMPLE, state: 'waiting' } } } })
  @ApiResponse({ status: 409, description: 'The job is not failed (JOB.NOT_FAILED).' })
  async retry(
    @Param('name') name: string,
    @Param('id') id: string,
    @CurrentStaff() staff: StaffIdentity,
    @Req() request: FastifyRequest,
  ) {
    const job = await this.operations.retry(name, id);
    await this.audit.record(staff, String(request.id), 'job.retry', `job:${name}/${id}`, { caseId: job.caseId });
    return { job };
  }

  @Post(':name/retry-failed')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry every failed job of the queue. Audited with the count.' })
  @ApiResponse({ status: 200, schema: { example: { queue: 'case-commands', retried: 4 } } })
  async retryFailed(@Param('name') name: string, @CurrentStaff() staff: StaffIdentity, @Req() request: FastifyRequest) {
    const retried = await this.operations.retryFailed(name);
    await this.audit.record(staff, String(request.id), 'queue.retry-failed', `queue:${name}`, { retried });
    return { queue: name, retried };
  }

  @Post(':name/jobs/:id/discard')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove a job that must not run again (not an active one). Audited.' })
  @ApiResponse({ status: 200, schema: { example: { job: JOB_EXAMPLE, discarded: true } } })
  @ApiResponse({ status: 409, description: 'The job is running (JOB.ACTIVE).' })
  async discard(
    @Param('name') name: string,
    @Param('id') id: string,
    @CurrentStaff() staff: StaffIdentity,
    @Req() request: FastifyRequest,
  ) {
    const job = await this.operations.discard(name, id);
    await this.audit.record(staff, String(request.id), 'job.discard', `job:${name}/${id}`, {
      caseId: job.caseId,
      state: job.state,
    });
    return { job, discarded: true };
  }

  @Post(':name/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause the queue for every worker (active jobs finish). Audited.' })
  @ApiResponse({ status: 200, schema: { example: { queue: 'case-commands', paused: true } } })
  async pause(@Param('name') name: string, @CurrentStaff() staff: StaffIdentity, @Req() request: FastifyRequest) {
    await this.operations.pause(name);
    await this.audit.record(staff, String(request.id), 'queue.pause', `queue:${name}`);
    return { queue: name, paused: true };
  }

  @Post(':name/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused queue. Audited.' })
  @ApiResponse({ status: 200, schema: { example: { queue: 'case-commands', paused: false } } })
  async resume(@Param('name') name: string, @CurrentStaff() staff: StaffIdentity, @Req() request: FastifyRequest) {
    await this.operations.resume(name);
    await this.audit.record(staff, String(request.id), 'queue.resume', `queue:${name}`);
    return { queue: name, paused: false };
  }
}
