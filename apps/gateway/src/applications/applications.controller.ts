import { Body, Controller, Headers, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { todayOn, type Clock } from '@minsheng/domain';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InjectClock, loadCalendarSet, PublishedParameters } from '@minsheng/infra';
import { applicationWindowOf } from '@minsheng/workflows';
import { parseOrThrow } from '../problems/validation.js';
import { IdempotencyService } from '../portals/idempotency.js';
import { PortalAuthGuard } from '../portals/portal-auth.guard.js';
import { CurrentPortal, type PortalIdentity } from '../portals/portal-identity.js';
import { checkApplication } from './check-application.js';
import { APPLICATION_EXAMPLE, SUBMITTED_EXAMPLE } from './application.examples.js';
import { SubmitApplication } from './submit-application.js';
import { submitApplicationRequest } from './submit-application.request.js';

@ApiTags('applications')
@ApiSecurity('portal')
@Controller('v1/applications')
@UseGuards(PortalAuthGuard)
export class ApplicationsController {
  constructor(
    private readonly submitApplication: SubmitApplication,
    private readonly parameters: PublishedParameters,
    @InjectClock() private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Submit an application for an item of the catalog (portal).',
    description:
      'Validates the application (field-level errors), routes it to the office that accepts it and the district ' +
      'bureau that approves it, and opens a case in one transaction. Idempotent per Idempotency-Key.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '1–200 visible ASCII characters' })
  @ApiHeader({ name: 'x-api-key', required: true, description: 'msk_<prefix>_<secret>' })
  @ApiBody({ schema: { type: 'object', example: APPLICATION_EXAMPLE } })
  @ApiResponse({ status: 202, description: 'Case opened', schema: { example: SUBMITTED_EXAMPLE } })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION.FAILED (errors[] per field), IDEMPOTENCY.KEY_MISSING, IDEMPOTENCY.KEY_INVALID',
  })
  @ApiResponse({ status: 401, description: 'AUTH.UNAUTHENTICATED' })
  @ApiResponse({ status: 403, description: 'PORTAL.ITEM_NOT_ALLOWED' })
  @ApiResponse({ status: 409, description: 'CASE.ALREADY_OPEN (openCase), IDEMPOTENCY.IN_PROGRESS' })
  @ApiResponse({ status: 413, description: 'REQUEST.TOO_LARGE (over 256 KiB)' })
  @ApiResponse({ status: 422, description: 'IDEMPOTENCY.KEY_REUSED' })
  @ApiResponse({ status: 429, description: 'RATE_LIMIT.EXCEEDED, with Retry-After' })
  async submit(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPortal() portal: PortalIdentity,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const key = IdempotencyService.keyFrom(idempotencyKey);
    const parsed = parseOrThrow(submitApplicationRequest, body, 'body');
    // Only an item with an application window reads the calendars (its last day may roll past a holiday).
    const window = applicationWindowOf(parsed.itemCode);
    const application = checkApplication(parsed, {
      today: todayOn(this.clock),
      allowedItems: portal.allowedItems,
      parameters: this.parameters.current(),
      ...(window !== undefined && parsed.details?.[window.detail] !== undefined
        ? { calendars: await loadCalendarSet(this.dataSource) }
        : {}),
    });
    const result = await this.submitApplication.submit({
      portal,
      idempotencyKey: key,
      body,
      application,
      requestId: String(request.id),
    });
    void reply.status(result.status);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }
}
