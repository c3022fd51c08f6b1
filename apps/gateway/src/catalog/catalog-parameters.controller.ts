import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type Clock, EVIDENCE_TAGS, todayOn } from '@minsheng/domain';
import { InjectClock } from '@minsheng/infra';
import { CurrentStaff, StaffRoles } from '../auth/staff-auth.guard.js';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { parseOrThrow } from '../problems/validation.js';
import { CatalogReader } from './catalog-reader.js';
import { PARAMETERS_EXAMPLE, PUBLISH_BODY_EXAMPLE, PUBLISHED_EXAMPLE } from './catalog.examples.js';
import { listParametersQuery, publishParameterBody } from './catalog.request.js';
import { sendCacheable } from './http-cache.js';
import { PublishParameter } from './publish-parameter.js';

/**
 * Effective-dated standard parameters (amounts in integer fen, multiples, counts): public reads of the value in
 * force and the history; operators publish new values, audited, without a deploy.
 */
@ApiTags('catalog')
@Controller('v1/catalog/parameters')
export class CatalogParametersController {
  constructor(
    private readonly reader: CatalogReader,
    private readonly publisher: PublishParameter,
    @InjectClock() private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Parameter values per key: the one in force on `at` (default today, China Standard Time) and the full history.',
    description:
      'Values with evidence R, G or unknown are `confirmed: false` (configuration, not a checked figure). Status is ' +
      'relative to `at`: past, in-force, future, or superseded by a correction. Cacheable (ETag, max-age=300).',
  })
  @ApiQuery({ name: 'key', required: false, example: 'minimum-living.standard.urban' })
  @ApiQuery({ name: 'itemCode', required: false, example: 'BPS-064' })
  @ApiQuery({ name: 'at', required: false, example: '2025-10-09', description: 'YYYY-MM-DD' })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiResponse({ status: 200, example: PARAMETERS_EXAMPLE })
  @ApiResponse({ status: 304, description: 'The copy named by If-None-Match is current.' })
  @ApiResponse({ status: 400, description: 'Malformed query (VALIDATION.FAILED).' })
  async list(@Query() query: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { key, itemCode, at = todayOn(this.clock) } = parseOrThrow(listParametersQuery, query, 'query');
    const [catalogVersion, items] = await Promise.all([
      this.reader.version(),
      this.reader.parameters({ key, itemCode }, at),
    ]);
    return sendCacheable(request, reply, { catalogVersion, at, items });
  }

  @Post()
  @HttpCode(201)
  @StaffRoles('operator')
  @ApiBearerAuth('reviewer')
  @ApiOperation({
    summary: 'Publish a new value of a parameter from a date (today or later). Operators only; audited.',
    description:
      'The value in force before `validFrom` stays in force until then and ends there; a value with the same start is ' +
      'superseded (kept in the history). Unit, bound and item are those of the key. Amount units take integer fen. ' +
      `Evidence: ${EVIDENCE_TAGS.join(', ')}.`,
  })
  @ApiBody({ schema: { example: PUBLISH_BODY_EXAMPLE } })
  @ApiResponse({ status: 201, example: PUBLISHED_EXAMPLE })
  @ApiResponse({ status: 400, description: 'Invalid body, or a non-integer amount (VALIDATION.FAILED).' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator role (AUTH.FORBIDDEN).' })
  @ApiResponse({ status: 404, description: 'Unknown key (CATALOG.PARAMETER_NOT_FOUND).' })
  @ApiResponse({ status: 422, description: '`validFrom` is in the past (CATALOG.PARAMETER_BACKDATED).' })
  async publish(@Body() body: unknown, @CurrentStaff() staff: StaffIdentity, @Req() request: FastifyRequest) {
    const input = parseOrThrow(publishParameterBody, body, 'body');
    const placed = await this.publisher.publish(input, staff, String(request.id));
    const today = todayOn(this.clock);
    const [parameter] = await this.reader.parameters({ key: placed.key }, today);
    return {
      published: parameter?.history.find((value) => value.id === placed.id),
      closedId: placed.closedId,
      supersededId: placed.supersededId,
      parameter,
    };
  }
}
