import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Clock, DomainError } from '@minsheng/domain';
import {
  findPaymentRun,
  InjectClock,
  listPaymentRuns,
  openPaymentRun,
  type PaymentRun,
  paymentRunTotals,
  type PaymentRunTotals,
  recordAudit,
  transactionWithRetry,
} from '@minsheng/infra';
import { type StaffIdentity } from '../auth/staff-identity.js';

/** Payment runs for staff (docs/money.md "Payment runs"): open a month's run, list them, read one's progress. */
@Injectable()
export class PaymentRunsService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /** Opens the month's run (its build is queued through the outbox), or answers the run already open. Audited. */
  async open(month: string, staff: StaffIdentity, requestId: string): Promise<{ run: PaymentRun; opened: boolean }> {
    return transactionWithRetry(this.dataSource, async (tx) => {
      const result = await openPaymentRun(tx, {
        month,
        requestedBy: `staff:${staff.subject}`,
        requestId,
        now: this.clock.now(),
      });
      if (result.opened) {
        await recordAudit(tx, {
          actor: `staff:${staff.subject}`,
          actorRole: staff.roles.includes('operator') ? 'operator' : 'finance',
          action: 'payment-run.open',
          target: `payment-run:${result.run.id}`,
          details: { month },
          requestId,
        });
      }
      return result;
    });
  }

  list(): Promise<PaymentRun[]> {
    return listPaymentRuns(this.dataSource);
  }

  async get(id: string): Promise<PaymentRun & { totals: PaymentRunTotals }> {
    const run = await findPaymentRun(this.dataSource, id);
    if (run === null) throw new DomainError('PAYMENT_RUN.NOT_FOUND', `no payment run ${id}`, { field: 'id' });
    return { ...run, totals: await paymentRunTotals(this.dataSource, id) };
  }
}
