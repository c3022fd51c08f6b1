import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyRequest } from 'fastify';
import { CurrentStaff, StaffRoles } from '../auth/staff-auth.guard.js';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { parseOrThrow } from '../problems/validation.js';
import { CalendarService } from './calendar-service.js';
import {
  DRAFT_EXAMPLE,
  DRAFT_UNSUPPORTED_EXAMPLE,
  DUE_DATE_EXAMPLE,
  NOT_PUBLISHED_EXAMPLE,
  PUBLISH_EXAMPLE,
  RECOMPUTATION_EXAMPLE,
} from './calendar.examples.js';
import { calendarQuery, dueDateQuery, publishCalendarBody, yearParam } from './calendar.request.js';

/**
 * The official working-day calendar (State Council notices and Xinjiang's regional notice) and the due-date
 * calculator portals use to tell applicants when to expect a decision.
 */
@ApiTags('calendar')
@Controller('v1/calendar')
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  @Get('due-date')
  @ApiOperation({
    summary: 'The due date of a period started on `start`, with the explanation a reviewer can check by hand.',
    description:
      'The start day is not counted (民事诉讼法 art. 85). Working days skip weekends and holidays and count make-up ' +
      'working weekends (调休上班日). `rollForward=true` moves a calendar-day period ending on a rest day to the next ' +
      'working day. A count that reaches a year with no published calendar answers 422, never a guess, and writes ' +
      'nothing. `provisional: true` when the count used a provisional calendar (listed in `explanation.unconfirmed`).',
  })
  @ApiQuery({ name: 'start', example: '2025-09-15' })
  @ApiQuery({ name: 'days', example: 30 })
  @ApiQuery({ name: 'unit', required: false, enum: ['working', 'calendar'] })
  @ApiQuery({ name: 'region', required: false, enum: ['national', 'xinjiang'] })
  @ApiQuery({ name: 'rollForward', required: false, enum: ['true', 'false'] })
  @ApiResponse({ status: 200, example: DUE_DATE_EXAMPLE })
  @ApiResponse({ status: 400, description: 'Malformed query (VALIDATION.FAILED).' })
  @ApiResponse({ status: 422, example: NOT_PUBLISHED_EXAMPLE })
  async dueDate(@Query() query: unknown) {
    const q = parseOrThrow(dueDateQuery, query, 'query');
    return this.calendars.dueDate({
      start: q.start,
      amount: q.days,
      unit: q.unit === 'working' ? 'working-days' : 'calendar-days',
      region: q.region,
      rollForward: q.rollForward === 'true',
    });
  }

  @Get(':year')
  @ApiOperation({
    summary: 'The calendar in force for a year: holidays, make-up working days, overrides and versions.',
    description:
      '`provisional: true` when any layer in force is provisional (each layer and version says its `status`). ' +
      'A year with no published calendar answers 422 and writes nothing.',
  })
  @ApiParam({ name: 'year', example: 2026 })
  @ApiQuery({ name: 'region', required: false, enum: ['national', 'xinjiang'] })
  @ApiResponse({ status: 200, description: 'The merged calendar and the published layers it comes from.' })
  @ApiResponse({ status: 422, example: NOT_PUBLISHED_EXAMPLE })
  async year(@Param('year') year: string, @Query() query: unknown) {
    const { region } = parseOrThrow(calendarQuery, query, 'query');
    return this.calendars.year(region, parseOrThrow(yearParam, year, 'path'));
  }

  @Post(':year/draft')
  @HttpCode(200)
  @StaffRoles('operator')
  @ApiBearerAuth('reviewer')
  @ApiOperation({
    summary: 'Draft a year from the statutory holiday rules, for an operator to review and publish. Writes nothing.',
    description:
      'The national layer (《全国年节及纪念日放假办法》 art. 2, 2024 revision) and the Xinjiang layer (肉孜节 and ' +
      '古尔邦节, 自治区人民政府令第174号, estimated), each exactly as `PUT /v1/calendar/{year}` takes it with ' +
      '`status: "provisional"`, and what the draft cannot know (`cannotKnow`). Years 2025 to 2100 only.',
  })
  @ApiParam({ name: 'year', example: 2027 })
  @ApiResponse({ status: 200, example: DRAFT_EXAMPLE })
  @ApiResponse({ status: 400, description: 'The year is not a number from 1949 to 9999 (VALIDATION.FAILED).' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator role (AUTH.FORBIDDEN).' })
  @ApiResponse({
    status: 422,
    description:
      'A year the statutory rules in force cannot draft (CALENDAR.DRAFT_YEAR_UNSUPPORTED), or a runtime that cannot ' +
      'compute the Islamic dates (CALENDAR.DRAFT_FAILED).',
    example: DRAFT_UNSUPPORTED_EXAMPLE,
  })
  draft(@Param('year') year: string) {
    return this.calendars.draft(parseOrThrow(yearParam, year, 'path'));
  }

  @Put(':year')
  @StaffRoles('operator')
  @ApiBearerAuth('reviewer')
  @ApiOperation({
    summary:
      'Publish a new version of a region’s calendar year (a new notice or a correction). Operators only; audited.',
    description:
      'The next version number is assigned. `status` is `official` (from the notice; the default) or `provisional` ' +
      '(estimated, e.g. a reviewed draft): clocks count in a provisional year, and every answer showing a due date ' +
      'counted in it marks it `provisional: true`. Running clocks whose due date or provisional mark the new version ' +
      'changes are recomputed by the worker after the answer, in batches: the answer names the recomputation and ' +
      'where to follow it (`GET /v1/calendar/{year}/recomputation`); each change is recorded on its case ' +
      '(CLOCK_RECOMPUTED) and its timers are re-armed. Publish the national layer of a year before its Xinjiang layer. An official version ' +
      'resolves the `calendar.year-not-published` alerts of its layer; a provisional one only the `missing` ones.',
  })
  @ApiParam({ name: 'year', example: 2027 })
  @ApiBody({ schema: { example: PUBLISH_EXAMPLE } })
  @ApiResponse({ status: 200, description: 'The published version and its queued recomputation.' })
  @ApiResponse({
    status: 400,
    description: 'Invalid body or calendar rule broken (VALIDATION.FAILED, CALENDAR.INVALID).',
  })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator role (AUTH.FORBIDDEN).' })
  async publish(
    @Param('year') year: string,
    @Body() body: unknown,
    @CurrentStaff() staff: StaffIdentity,
    @Req() request: FastifyRequest,
  ) {
    const input = parseOrThrow(publishCalendarBody, body, 'body');
    const { calendar, recomputation } = await this.calendars.publish(
      parseOrThrow(yearParam, year, 'path'),
      input,
      staff,
      String(request.id),
    );
    return {
      region: calendar.region,
      year: calendar.year,
      version: calendar.version,
      status: calendar.provisional ? 'provisional' : 'official',
      recomputation: {
        id: recomputation.id,
        state: recomputation.state,
        location: `/v1/calendar/${calendar.year}/recomputation`,
      },
    };
  }

  @Post(':year/preview')
  @HttpCode(200)
  @StaffRoles('operator')
  @ApiBearerAuth('reviewer')
  @ApiOperation({
    summary: 'What publishing a version would do to the running clocks, before it is published. Writes nothing.',
    description:
      'Takes the body `PUT /v1/calendar/{year}` takes and checks it the same way; answers the version it would get ' +
      'and the running clocks its recomputation would look at, move (due date, provisional mark or missing year), ' +
      'give a due date, and leave waiting for another unpublished year, counted with the same `planClock` as the ' +
      'recomputation. Clocks may start or stop before the publication is made.',
  })
  @ApiParam({ name: 'year', example: 2027 })
  @ApiBody({ schema: { example: PUBLISH_EXAMPLE } })
  @ApiResponse({ status: 200, description: 'The version it would be and the clocks it would move.' })
  @ApiResponse({
    status: 400,
    description: 'Invalid body or calendar rule broken (VALIDATION.FAILED, CALENDAR.INVALID).',
  })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator role (AUTH.FORBIDDEN).' })
  async preview(@Param('year') year: string, @Body() body: unknown) {
    const input = parseOrThrow(publishCalendarBody, body, 'body');
    return this.calendars.preview(parseOrThrow(yearParam, year, 'path'), input);
  }

  @Get(':year/recomputation')
  @StaffRoles('operator')
  @ApiBearerAuth('reviewer')
  @ApiOperation({
    summary: 'Progress of the recomputations of running clocks after each publication of the year. Operators only.',
    description:
      'One item per published version, newest first: `state` (queued, running, done), `total` candidate clocks ' +
      '(counted when the worker starts), `done` (looked at), `changed` (due date or provisional mark moved, each ' +
      'recorded on its case as CLOCK_RECOMPUTED), `failed` (the count still needs an unpublished year) and `batches`.',
  })
  @ApiParam({ name: 'year', example: 2027 })
  @ApiResponse({ status: 200, schema: { example: { year: 2027, items: [RECOMPUTATION_EXAMPLE] } } })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator role (AUTH.FORBIDDEN).' })
  async recomputations(@Param('year') year: string) {
    const y = parseOrThrow(yearParam, year, 'path');
    return { year: y, items: await this.calendars.recomputations(y) };
  }
}
