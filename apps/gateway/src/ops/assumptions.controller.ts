import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { StaffRoles } from '../auth/staff-auth.guard.js';
import { Assumptions } from './assumptions.js';

const ASSUMPTIONS_EXAMPLE = {
  asOf: '2026-12-06T10:00:00.000Z',
  parameters: [
    {
      key: 'minimum-living.standard.urban',
      value: 38_000,
      unit: 'fen-per-person-per-month',
      validFrom: '2015-01-01',
      validTo: null,
      source: 'P20',
      evidence: 'S',
      note: null,
      knownUntil: '2015-12-31',
      why: 'past-known-validity',
      items: ['BPS-064', 'BPS-073'],
      openCases: 12,
    },
  ],
  limits: [
    {
      amount: 10,
      unit: 'working-days',
      source: 'no source found; comparable street checks take 10 working days (P16)',
      evidence: 'G',
      uses: [{ item: 'BPS-056', name: 'street-review' }],
      why: 'assumption',
      openCases: 3,
    },
  ],
  calendars: [{ calendar: 'national/2027', why: 'provisional', openCases: 5 }],
};

/** What minsheng relies on that no confirmed source backs, for the operators to chase. */
@ApiTags('operators')
@ApiBearerAuth('reviewer')
@StaffRoles('operator')
@Controller('v1/ops/assumptions')
export class AssumptionsController {
  constructor(private readonly assumptions: Assumptions) {}

  @Get()
  @ApiOperation({
    summary:
      'Parameters in force that are assumptions or past their known validity, limits tagged as assumptions, and ' +
      'provisional calendars that running clocks count in, each with the number of open cases relying on it.',
  })
  @ApiResponse({ status: 200, schema: { example: ASSUMPTIONS_EXAMPLE } })
  @ApiResponse({ status: 401, description: 'No valid staff token (AUTH.UNAUTHENTICATED).' })
  @ApiResponse({ status: 403, description: 'The token lacks the operator role (AUTH.FORBIDDEN).' })
  list() {
    return this.assumptions.list();
  }
}
