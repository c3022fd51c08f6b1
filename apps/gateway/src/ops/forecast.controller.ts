import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { isIsoDate, todayOn, type Clock } from '@minsheng/domain';
import { InjectClock } from '@minsheng/infra';
import { StaffRoles } from '../auth/staff-auth.guard.js';
import { parseOrThrow } from '../problems/validation.js';
import { OfficeForecasts } from './office-forecasts.js';

export const forecastQuery = z
  .object({
    /** The forecast date (China Standard Time); default today. */
    asOf: z.string().refine(isIsoDate, 'a date YYYY-MM-DD').optional(),
    /** Working days over which each office's decision rate is measured. */
    days: z.coerce.number().int().min(1).max(60).default(10),
  })
  .strict();

@ApiTags('operators')
@ApiBearerAuth('reviewer')
@StaffRoles('operator')
@Controller('v1/ops/forecast')
export class ForecastController {
  constructor(
    private readonly forecasts: OfficeForecasts,
    @InjectClock() private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Expected deadline breaches per office in the next 1, 3 and 10 working days, from its open tasks and its ' +
      'decision rate over the last `days` working days (FIFO by due date; method in docs/operations.md).',
  })
  @ApiResponse({
    status: 200,
    schema: {
      example: {
        asOf: '2025-09-30',
        windowDays: 10,
        windowStart: '2025-09-16',
        horizons: [1, 3, 10],
        method: 'fifo-by-due-date',
        items: [
          {
            department: 'civil-affairs',
            division: '650102001',
            decidedInWindow: 20,
            open: 9,
            overdue: 1,
            undated: 0,
            ratePerDay: 2,
            clearanceDays: 5,
            breaches: { 1: 2, 3: 5, 10: 5 },
          },
        ],
      },
    },
  })
  forecast(@Query() query: unknown) {
    const { asOf, days } = parseOrThrow(forecastQuery, query, 'query');
    return this.forecasts.forecast(asOf ?? todayOn(this.clock), days);
  }
}
