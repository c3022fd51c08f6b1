import { Body, Controller, Get, Headers, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { parseOrThrow, UuidParam } from '../problems/validation.js';
import { IdempotencyService } from '../portals/idempotency.js';
import { PortalAuthGuard } from '../portals/portal-auth.guard.js';
import { CurrentPortal, type PortalIdentity } from '../portals/portal-identity.js';
import { CaseCommands } from './case-commands.js';
import {
  objectionRequest,
  portalReferenceQuery,
  supplementRequest,
  withdrawalRequest,
} from './case-commands.request.js';
import { CaseReads } from './case-reads.js';

/** The portal's view of the cases it submitted, and its commands on them. Staff reads live under /v1/staff. */
@ApiTags('cases (portal)')
@ApiSecurity('portal')
@Controller('v1/cases')
@UseGuards(PortalAuthGuard)
export class CasesController {
  constructor(
    private readonly reads: CaseReads,
    private readonly commands: CaseCommands,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Find this portal’s case by its own reference (?portalReference=…).' })
  @ApiResponse({ status: 200, description: '{ items: [case] } (empty when none)' })
  byReference(@Query() query: unknown, @CurrentPortal() portal: PortalIdentity) {
    const { portalReference } = parseOrThrow(portalReferenceQuery, query, 'query');
    return this.reads.byPortalReference(portal.id, portalReference);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A case of this portal: status, current steps, offices, due date, masked event timeline.',
  })
  @ApiResponse({ status: 404, description: 'CASE.NOT_FOUND (also for another portal’s case)' })
  byId(@Param('id', UuidParam) id: string, @CurrentPortal() portal: PortalIdentity) {
    return this.reads.byId(portal.id, id);
  }

  @Get(':id/events')
  @ApiOperation({ summary: 'The event timeline of a case of this portal, personal data masked.' })
  events(@Param('id', UuidParam) id: string, @CurrentPortal() portal: PortalIdentity) {
    return this.reads.events(portal.id, id);
  }

  @Post(':id/withdrawal')
  @ApiOperation({ summary: 'Withdraw the application (idempotent per Idempotency-Key).' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiResponse({ status: 202, description: 'Recorded; the engine applies WITHDRAWN' })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION.FAILED (errors[] per field), IDEMPOTENCY.KEY_MISSING, IDEMPOTENCY.KEY_INVALID',
  })
  @ApiResponse({ status: 409, description: 'CASE.CLOSED, IDEMPOTENCY.IN_PROGRESS' })
  @ApiResponse({ status: 422, description: 'IDEMPOTENCY.KEY_REUSED: the key was sent before with another request' })
  async withdraw(
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @Headers('idempotency-key') header: string | undefined,
    @CurrentPortal() portal: PortalIdentity,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { reason } = parseOrThrow(withdrawalRequest, body, 'body');
    return this.idempotentCommand(portal, header, `POST /v1/cases/${id}/withdrawal`, body, reply, (tx) =>
      this.commands.withdraw(tx, portal, id, reason, String(request.id)),
    );
  }

  @Post(':id/supplements')
  @ApiOperation({ summary: 'Hand in material the office asked for (idempotent per Idempotency-Key).' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiResponse({ status: 202, description: 'Recorded; the engine applies SUPPLEMENT_RECEIVED' })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION.FAILED (errors[] per field), IDEMPOTENCY.KEY_MISSING, IDEMPOTENCY.KEY_INVALID',
  })
  @ApiResponse({ status: 409, description: 'CASE.CLOSED, IDEMPOTENCY.IN_PROGRESS' })
  @ApiResponse({ status: 422, description: 'IDEMPOTENCY.KEY_REUSED: the key was sent before with another request' })
  async supplement(
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @Headers('idempotency-key') header: string | undefined,
    @CurrentPortal() portal: PortalIdentity,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { materials } = parseOrThrow(supplementRequest, body, 'body');
    return this.idempotentCommand(portal, header, `POST /v1/cases/${id}/supplements`, body, reply, (tx) =>
      this.commands.supplement(tx, portal, id, materials, String(request.id)),
    );
  }

  @Post(':id/objections')
  @ApiOperation({
    summary: 'File a resident’s objection during the public notice (公示), as a reason code (idempotent).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiResponse({
    status: 202,
    description: 'Recorded; the engine applies OBJECTION_FILED and opens an objection review',
    schema: {
      example: {
        caseId: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b',
        trackingNumber: 'WLMQ-2026-00000123',
        accepted: 'OBJECTION_FILED',
        commandId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
        acceptedAt: '2026-03-20T02:00:00.000Z',
        links: {
          self: '/v1/cases/1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b',
          events: '/v1/cases/1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b/events',
        },
      },
    },
  })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION.FAILED (errors[] per field), IDEMPOTENCY.KEY_MISSING, IDEMPOTENCY.KEY_INVALID',
  })
  @ApiResponse({
    status: 409,
    description: 'CASE.WRONG_STATUS outside the public notice, CASE.CLOSED, IDEMPOTENCY.IN_PROGRESS',
  })
  @ApiResponse({ status: 422, description: 'IDEMPOTENCY.KEY_REUSED: the key was sent before with another request' })
  async object(
    @Param('id', UuidParam) id: string,
    @Body() body: unknown,
    @Headers('idempotency-key') header: string | undefined,
    @CurrentPortal() portal: PortalIdentity,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { reason } = parseOrThrow(objectionRequest, body, 'body');
    return this.idempotentCommand(portal, header, `POST /v1/cases/${id}/objections`, body, reply, (tx) =>
      this.commands.objection(tx, portal, id, reason, String(request.id)),
    );
  }

  /** The three case commands share one shape: Idempotency-Key required, replayed answers marked. */
  private async idempotentCommand(
    portal: PortalIdentity,
    header: string | undefined,
    operation: string,
    body: unknown,
    reply: FastifyReply,
    work: Parameters<IdempotencyService['run']>[3],
  ): Promise<Record<string, unknown>> {
    const key = IdempotencyService.keyFrom(header);
    const result = await this.idempotency.run(portal.id, key, { operation, body }, work);
    void reply.status(result.status);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }
}
