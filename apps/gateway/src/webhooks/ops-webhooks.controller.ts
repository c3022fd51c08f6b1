import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Clock } from '@minsheng/domain';
import { InjectClock } from '@minsheng/infra';
import { StaffRoles } from '../auth/staff-auth.guard.js';
import { webhookBacklog } from './webhook-backlog.js';

/** Webhook backlog, failures and dead letters per portal, for operators. */
@ApiTags('operators')
@ApiBearerAuth('reviewer')
@StaffRoles('operator')
@Controller('v1/ops/webhooks')
export class OpsWebhooksController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Per portal with webhooks: deliveries pending, waiting and dead, and attempts failed in the last 24 h.',
  })
  @ApiResponse({ status: 401, description: 'AUTH.UNAUTHENTICATED' })
  @ApiResponse({ status: 403, description: 'AUTH.FORBIDDEN' })
  async backlog() {
    return { items: await webhookBacklog(this.dataSource, this.clock.now()) };
  }
}
