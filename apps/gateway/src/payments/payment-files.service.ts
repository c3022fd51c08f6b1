import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Clock, DomainError, maskAccount, paymentFile, parseBankResults } from '@minsheng/domain';
import {
  applyBankResults,
  type BankResultsApplied,
  correctReturnedPayment,
  findPaymentRun,
  InjectClock,
  markPaymentRunExported,
  openReturnedPaymentTasks,
  paymentFileRows,
  paymentPortalEvent,
  PiiCipher,
  recordAudit,
  sendInstalmentResults,
  transactionWithRetry,
  unknownLineIds,
  writeWebhookDeliveries,
} from '@minsheng/infra';
import { PII_PURPOSE } from '../applications/submit-application.js';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { divisionPrefixes, seesEverything } from '../clocks/staff-scope.js';

/**
 * The bank side of a payment run (docs/money.md "The payment file"): the file of one district and bank, the bank's
 * result file, and the street office's correction of a returned line.
 */
@Injectable()
export class PaymentFilesService {
  private readonly logger = new Logger(PaymentFilesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /**
   * The CSV of the run's pending lines for one district and bank. The first export of a ready run makes it
   * `exported`; a run still building has no file yet. Names and accounts are decrypted for the file only; the log
   * shows masked accounts.
   */
  async export(runId: string, district: string, bank: string, staff: StaffIdentity, requestId: string) {
    return transactionWithRetry(this.dataSource, async (tx) => {
      const run = await findPaymentRun(tx, runId);
      if (run === null) throw new DomainError('PAYMENT_RUN.NOT_FOUND', `no payment run ${runId}`, { field: 'id' });
      if (run.state === 'building') {
        throw new DomainError('PAYMENT_RUN.NOT_READY', `the run of ${run.month} is still building`, { field: 'id' });
      }
      const rows = await paymentFileRows(tx, runId, district, bank);
      const lines = rows.map((row) => {
        const account = this.accountOf(row.applicationEncrypted);
        return {
          ...row,
          beneficiaryName: this.reveal(row.nameEncrypted, PII_PURPOSE.name) ?? '',
          accountNumber: account,
        };
      });
      await markPaymentRunExported(tx, runId, this.clock.now());
      await recordAudit(tx, {
        actor: `staff:${staff.subject}`,
        actorRole: staff.roles.includes('operator') ? 'operator' : 'finance',
        action: 'payment-run.export',
        target: `payment-run:${runId}`,
        details: { district, bank, lines: lines.length },
        requestId,
      });
      this.logger.log(
        {
          run: runId,
          district,
          bank,
          lines: lines.length,
          accounts: lines.slice(0, 3).map((l) => maskAccount(l.accountNumber)),
        },
        'payment file exported',
      );
      return { month: run.month, csv: paymentFile(lines) };
    });
  }

  /**
   * Applies the bank's result file; a line id not of this run refuses the whole file (nothing written). Each line
   * settled now tells its case's portal (`payment.made`, `payment.returned`; docs/webhooks.md) in the same
   * transaction, so a line settled by an earlier import of the file is not told again; a 临时救助 instalment's line
   * also tells its case's payment step (PAYMENT_CONFIRMED / PAYMENT_FAILED through the outbox).
   */
  async results(runId: string, file: string, staff: StaffIdentity, requestId: string): Promise<BankResultsApplied> {
    const results = parseBankResults(file);
    return transactionWithRetry(this.dataSource, async (tx) => {
      const run = await findPaymentRun(tx, runId);
      if (run === null) throw new DomainError('PAYMENT_RUN.NOT_FOUND', `no payment run ${runId}`, { field: 'id' });
      if (run.state !== 'exported' && run.state !== 'confirmed') {
        throw new DomainError('PAYMENT_RUN.NOT_EXPORTED', `the run of ${run.month} has not been exported`, {
          field: 'id',
        });
      }
      const unknown = await unknownLineIds(
        tx,
        runId,
        results.map((r) => r.lineId),
      );
      if (unknown.length > 0) {
        throw new DomainError('VALIDATION.FAILED', 'the bank result file names lines that are not in this run', {
          errors: unknown.map((id) => ({ field: 'file', code: 'UNKNOWN_LINE', message: `no line ${id} in this run` })),
        });
      }
      const now = this.clock.now();
      const { summary: applied, settled } = await applyBankResults(tx, runId, results, now);
      // Each line returned now opens its street office's task (and a death ends the entitlement), in this transaction.
      await openReturnedPaymentTasks(
        tx,
        settled.filter((line) => line.outcome === 'returned'),
        now,
      );
      // A 临时救助 instalment's answer moves its case's payment step (the run is its one payer, docs/money.md).
      await sendInstalmentResults(tx, settled);
      await writeWebhookDeliveries(tx, settled.map(paymentPortalEvent), now);
      await recordAudit(tx, {
        actor: `staff:${staff.subject}`,
        actorRole: staff.roles.includes('operator') ? 'operator' : 'finance',
        action: 'payment-run.results',
        target: `payment-run:${runId}`,
        details: { ...applied },
        requestId,
      });
      return applied;
    });
  }

  /**
   * A returned line whose account the street office corrected goes into the next run built; its task in the
   * street office's inbox closes (docs/money.md "Returned payments").
   */
  async correct(lineId: string, staff: StaffIdentity, requestId: string): Promise<{ id: string; status: 'corrected' }> {
    return transactionWithRetry(this.dataSource, async (tx) => {
      const corrected = await correctReturnedPayment(
        tx,
        lineId,
        { everything: seesEverything(staff), prefixes: divisionPrefixes(staff) },
        { actor: `staff:${staff.subject}`, now: this.clock.now(), requestId },
      );
      if (!corrected) {
        throw new DomainError('PAYMENT_LINE.NOT_RETURNED', `no returned payment line ${lineId} you may correct`, {
          field: 'id',
        });
      }
      await recordAudit(tx, {
        actor: `staff:${staff.subject}`,
        actorRole: staff.roles[0] ?? 'reviewer',
        action: 'payment-line.correct',
        target: `payment-line:${lineId}`,
        requestId,
      });
      return { id: lineId, status: 'corrected' as const };
    });
  }

  private accountOf(applicationEncrypted: string): string {
    const application = this.reveal(applicationEncrypted, PII_PURPOSE.application);
    if (application === null) return '';
    try {
      const parsed = JSON.parse(application) as { bankAccount?: { accountNumber?: unknown } };
      const account = parsed.bankAccount?.accountNumber;
      return typeof account === 'string' ? account : '';
    } catch {
      return '';
    }
  }

  /** A value that does not decrypt (seeded test data) is left empty, never guessed. */
  private reveal(stored: string, purpose: string): string | null {
    try {
      return this.cipher.decrypt(stored, purpose);
    } catch {
      return null;
    }
  }
}
