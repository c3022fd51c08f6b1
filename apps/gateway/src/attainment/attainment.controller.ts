import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { CATALOG_CACHE_CONTROL, etagMatches, strongEtag } from '../catalog/http-cache.js';
import { parseOrThrow } from '../problems/validation.js';
import { attainmentQuery } from './attainment.request.js';
import { AttainmentReport, attainmentCsv } from './attainment-report.js';

/** The public attainment report (docs/api.md "Attainment report"): no authentication, no personal data. */
@ApiTags('public')
@Controller('v1/public/attainment')
export class AttainmentController {
  constructor(private readonly reports: AttainmentReport) {}

  @Get()
  @ApiOperation({
    summary:
      'Per item and district, for the cases submitted in `year`: applications, outcomes, the share decided within ' +
      'every statutory limit, the median working days to decision, and satisfaction; cells under 5 applications ' +
      'suppressed. JSON, or CSV with `Accept: text/csv` or `format=csv`.',
    description: 'Cacheable: `Cache-Control: public, max-age=300` and a strong `ETag`; `If-None-Match` answers 304.',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag of an earlier answer.' })
  @ApiResponse({ status: 304, description: 'The copy named by If-None-Match is current (no body).' })
  async attainment(@Query() query: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const parsed = parseOrThrow(attainmentQuery, query, 'query');
    const report = await this.reports.report(parsed);
    const csv = parsed.format === 'csv' || (parsed.format === undefined && acceptsCsv(request.headers.accept));
    const [body, type] = csv
      ? [attainmentCsv(report.cells), 'text/csv; charset=utf-8']
      : [JSON.stringify(report), 'application/json; charset=utf-8'];
    const etag = strongEtag(`${type}\n${body}`);
    void reply.header('cache-control', CATALOG_CACHE_CONTROL).header('etag', etag).header('vary', 'accept');
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.status(304).send();
    return reply.status(200).type(type).send(body);
  }
}

/** `Accept` names text/csv before (or without) JSON. */
function acceptsCsv(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv !== -1 && (json === -1 || csv < json);
}
