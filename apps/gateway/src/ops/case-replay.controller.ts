import { Controller, Get, Param } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DomainError } from '@minsheng/domain';
import { PiiCipher, replayStoredCase } from '@minsheng/infra';
import { StaffRoles } from '../auth/staff-auth.guard.js';
import { UuidParam } from '../problems/validation.js';

const REPLAY_EXAMPLE = {
  caseId: '0d9a3f0c-6e2b-4b8e-9d8c-2f1e7a6b5c4d',
  trackingNumber: 'MS-2025-000123',
  status: 'in-review',
  events: 9,
  chain: { ok: true, events: 9 },
  verdict: 'diverged',
  divergences: [{ field: 'status', stored: 'approved', replayed: 'in-review' }],
};

/** Replays one case from its event log and compares the machine it rebuilds with the stored case and tasks. */
@ApiTags('operators')
@ApiBearerAuth('reviewer')
@StaffRoles('operator')
@Controller('v1/ops/cases')
export class CaseReplayController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
  ) {}

  @Get(':id/replay')
  @ApiOperation({
    summary:
      'Rebuilds the case’s machine snapshot, status and open steps from its event log alone, checks the event chain, ' +
      'and lists where the stored case row and tasks differ (verdict consistent, diverged, unreplayable, not-started).',
  })
  @ApiResponse({ status: 200, schema: { example: REPLAY_EXAMPLE } })
  @ApiResponse({ status: 404, description: 'No such case (CASE.NOT_FOUND).' })
  async replay(@Param('id', UuidParam) caseId: string) {
    const report = await replayStoredCase(this.dataSource, this.cipher, caseId);
    if (report === undefined) throw new DomainError('CASE.NOT_FOUND', `no case ${caseId}`, { field: 'id' });
    return report;
  }
}
