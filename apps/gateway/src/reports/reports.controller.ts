import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { expenditureCsv, expenditureReport } from '@minsheng/domain';
import { paidSums } from '@minsheng/infra';
import { CurrentStaff, StaffRoles } from '../auth/staff-auth.guard.js';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { divisionPrefixes, seesEverything } from '../clocks/staff-scope.js';
import { parseOrThrow } from '../problems/validation.js';
import { expenditureQuery } from './reports.request.js';

/** Reports finance bureaus ask for (docs/money.md "The expenditure report"). */
@ApiTags('reports')
@ApiBearerAuth('reviewer')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('expenditure')
  @StaffRoles('operator', 'finance')
  @ApiOperation({
    summary: 'Expenditure paid, by item, lead department, district, month and funding level, in JSON or CSV.',
    description:
      'From the payment lines the bank confirmed paid, months `from` to `to` inclusive; `groupBy` any of item, ' +
      'department, district, month, funding (the item’s expenditure responsibility, 支出责任), comma-separated. ' +
      'The total equals the sum of the paid lines. `format=csv` answers text/csv with a last total row. Scoped to ' +
      'the caller’s divisions (operators see every district).',
  })
  @ApiResponse({ status: 200, description: 'The groups and their total.' })
  @ApiResponse({ status: 400, description: 'Malformed months or dimensions (VALIDATION.FAILED).' })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator or finance role (AUTH.FORBIDDEN).' })
  async expenditure(
    @Query() query: unknown,
    @CurrentStaff() staff: StaffIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const q = parseOrThrow(expenditureQuery, query, 'query');
    const sums = await paidSums(
      this.dataSource,
      { from: q.from, to: q.to },
      { everything: seesEverything(staff), prefixes: divisionPrefixes(staff) },
    );
    const report = expenditureReport(sums, q.groupBy);
    if (q.format === 'csv') {
      void reply.header('content-type', 'text/csv; charset=utf-8');
      return expenditureCsv(report);
    }
    return { from: q.from, to: q.to, ...report };
  }
}
