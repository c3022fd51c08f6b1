import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { StaffRoles } from '../auth/staff-auth.guard.js';
import { PortalAuthGuard } from '../portals/portal-auth.guard.js';
import { CurrentPortal, type PortalIdentity } from '../portals/portal-identity.js';
import { parseOrThrow, UuidParam } from '../problems/validation.js';
import { satisfactionQuery, satisfactionRequest } from './satisfaction.request.js';
import { SatisfactionSurvey } from './satisfaction.service.js';

/** A portal answers the satisfaction survey of a closed case of its own, once (docs/api.md "Satisfaction"). */
@ApiTags('cases (portal)')
@ApiSecurity('portal')
@Controller('v1/cases')
@UseGuards(PortalAuthGuard)
export class SatisfactionController {
  constructor(private readonly survey: SatisfactionSurvey) {}

  @Post(':id/satisfaction')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'The resident’s satisfaction with a closed case: a score 1–5 and reason codes, no free text; once, within ' +
      '`SATISFACTION_WINDOW_DAYS` of closing.',
  })
  @ApiResponse({ status: 201, description: 'Recorded' })
  @ApiResponse({ status: 404, description: 'CASE.NOT_FOUND (also for another portal’s case)' })
  @ApiResponse({ status: 409, description: 'SATISFACTION.CASE_OPEN, SATISFACTION.ALREADY_SUBMITTED' })
  @ApiResponse({ status: 422, description: 'SATISFACTION.WINDOW_CLOSED' })
  submit(@Param('id', UuidParam) id: string, @Body() body: unknown, @CurrentPortal() portal: PortalIdentity) {
    return this.survey.submit(portal.id, id, parseOrThrow(satisfactionRequest, body, 'body'));
  }
}

/** Operators read the survey's results by item, office and month. */
@ApiTags('operators')
@ApiBearerAuth('reviewer')
@StaffRoles('operator')
@Controller('v1/ops/satisfaction')
export class SatisfactionResultsController {
  constructor(private readonly survey: SatisfactionSurvey) {}

  @Get()
  @ApiOperation({
    summary:
      'Satisfaction answers given from `from` to `to` (CST dates), grouped by `groupBy` (item, office, month, ' +
      'comma-separated): count, average score, scores 1–5 and reason counts.',
  })
  results(@Query() query: unknown) {
    return this.survey.results(parseOrThrow(satisfactionQuery, query, 'query'));
  }
}
