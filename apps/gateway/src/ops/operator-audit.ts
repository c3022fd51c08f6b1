import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { recordAudit } from '@minsheng/infra';
import { type StaffIdentity } from '../auth/staff-identity.js';

/** Records an operator's action in `audit_log`: the staff subject, the action, its target and the request id. */
@Injectable()
export class OperatorAudit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(
    staff: StaffIdentity,
    requestId: string,
    action: string,
    target: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await recordAudit(this.dataSource, {
      actor: `staff:${staff.subject}`,
      actorRole: 'operator',
      action,
      target,
      details,
      requestId,
    });
  }
}
