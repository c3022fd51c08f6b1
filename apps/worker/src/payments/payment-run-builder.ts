import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  amountForMonth,
  type Clock,
  instalmentsOf,
  isPayable,
  type StandardParameter,
  type YearMonth,
} from '@minsheng/domain';
import {
  appendCaseEvents,
  entitlementBatch,
  type EntitlementForRun,
  finishPaymentRunBuild,
  InjectClock,
  lockPaymentRun,
  type NewPaymentLine,
  PublishedParameters,
  type Queryable,
  recordPaymentRunBatch,
  insertArrearsLines,
  insertLinesOfMonths,
  insertPaymentLines,
  owedArrears,
  startPaymentRunBuild,
  transactionWithRetry,
} from '@minsheng/infra';
import { paymentLinesWritten } from '../metrics/worker-metrics.js';

/** Entitlements per batch: one transaction each, so a killed build loses at most one batch's work (redone). */
export const PAYMENT_BATCH_SIZE = 1_000;

export interface PaymentRunProgress {
  readonly examined: number;
  readonly lines: number;
  readonly adjusted: number;
  readonly batches: number;
}

export type BuildOutcome =
  | {
      readonly outcome: 'built';
      readonly progress: PaymentRunProgress;
      readonly carried: number;
      /** Arrears lines written (docs/money.md "Arrears on resumption"). */
      readonly arrears: number;
    }
  | { readonly outcome: 'skipped'; readonly reason: 'unknown' | 'already-built' };

/**
 * Builds a payment run's lines (docs/money.md "Payment runs"), batch by batch from the run row's cursor: each batch
 * locks the run row, reads the next entitlements in id order, writes one line per entitlement payable in the month
 * with `ON CONFLICT DO NOTHING`, records the amount changes a new standard makes on each case's chain, and moves
 * the cursor, in one transaction. A killed build resumes after its last committed batch; a batch redone, a run
 * built twice or a month started twice writes no second line.
 */
@Injectable()
export class PaymentRunBuilder {
  private readonly logger = new Logger(PaymentRunBuilder.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
    private readonly parameters: PublishedParameters,
  ) {}

  async build(
    runId: string,
    onBatch: (progress: PaymentRunProgress) => Promise<void> = async () => undefined,
    batchSize = PAYMENT_BATCH_SIZE,
  ): Promise<BuildOutcome> {
    const first = await lockPaymentRun(this.dataSource, runId);
    if (first === null) return { outcome: 'skipped', reason: 'unknown' };
    if (first.state !== 'building') return { outcome: 'skipped', reason: 'already-built' };
    await startPaymentRunBuild(this.dataSource, runId);
    // The month's amounts come from the values published by now (a new standard is published before its month).
    const parameters = await this.parameters.reload();
    let progress: PaymentRunProgress = { examined: 0, lines: 0, adjusted: 0, batches: 0 };
    for (;;) {
      const batch = await transactionWithRetry(this.dataSource, async (tx) => {
        const run = await lockPaymentRun(tx, runId);
        if (run === null || run.state !== 'building') return null;
        const entitlements = await entitlementBatch(tx, run.afterEntitlementId, batchSize);
        if (entitlements.length === 0) return null;
        const written = await this.writeBatch(tx, runId, run.month as YearMonth, entitlements, parameters);
        await recordPaymentRunBatch(tx, runId, {
          lastEntitlementId: entitlements.at(-1)!.id,
          examined: entitlements.length,
        });
        return { examined: entitlements.length, ...written };
      });
      if (batch === null) break;
      progress = {
        examined: progress.examined + batch.examined,
        lines: progress.lines + batch.lines,
        adjusted: progress.adjusted + batch.adjusted,
        batches: progress.batches + 1,
      };
      paymentLinesWritten.inc(batch.lines);
      await onBatch(progress);
    }
    const { carried, arrears } = await transactionWithRetry(this.dataSource, async (tx) => {
      const run = await lockPaymentRun(tx, runId);
      if (run === null || run.state !== 'building') return { carried: 0, arrears: 0 };
      const arrearsLines = await this.writeArrears(tx, runId, parameters);
      return { carried: await finishPaymentRunBuild(tx, runId, this.clock.now()), arrears: arrearsLines };
    });
    paymentLinesWritten.inc(arrears);
    this.logger.log({ run: runId, month: first.month, ...progress, carried, arrears }, 'payment run built');
    return { outcome: 'built', progress, carried, arrears };
  }

  /**
   * The months a resumption owed (docs/money.md "Arrears on resumption"), in the build's last transaction: one line
   * per (entitlement, month), each at the amount computed for its own month (a 低保 month at the standard in force
   * on its first day), never typed; a month that has a line already is not written again.
   */
  private async writeArrears(q: Queryable, runId: string, parameters: readonly StandardParameter[]): Promise<number> {
    const owed = await owedArrears(q);
    const lines = owed
      .map(({ entitlement, month }) => ({
        entitlementId: entitlement.id,
        month,
        amountFen: amountForMonth(entitlement, month as YearMonth, parameters).amountFen,
        itemCode: entitlement.itemCode,
        district: entitlement.district,
        division: entitlement.division,
        bank: entitlement.bank,
      }))
      .filter((line) => line.amountFen > 0);
    return insertArrearsLines(
      q,
      runId,
      lines,
      owed.map(({ entitlement, month }) => ({ entitlementId: entitlement.id, month })),
    );
  }

  private async writeBatch(
    q: Queryable,
    runId: string,
    month: YearMonth,
    entitlements: readonly EntitlementForRun[],
    parameters: readonly StandardParameter[],
  ): Promise<{ lines: number; adjusted: number }> {
    const lines: NewPaymentLine[] = [];
    const earlier: (NewPaymentLine & { month: string })[] = [];
    const adjustments: { entitlement: EntitlementForRun; amountFen: number; parameter: unknown }[] = [];
    for (const entitlement of entitlements) {
      earlier.push(...earlierInstalments(entitlement, month));
      const payable = {
        status: entitlement.status,
        startMonth: entitlement.startMonth as YearMonth,
        endMonth: entitlement.endMonth as YearMonth | null,
      };
      if (!isPayable(payable, month)) continue;
      const amount = amountForMonth(entitlement, month, parameters);
      if (amount.parameter !== null) {
        adjustments.push({ entitlement, amountFen: amount.amountFen, parameter: amount.parameter });
      }
      if (amount.amountFen === 0) continue;
      lines.push({
        entitlementId: entitlement.id,
        amountFen: amount.amountFen,
        itemCode: entitlement.itemCode,
        district: entitlement.district,
        division: entitlement.division,
        bank: entitlement.bank,
      });
    }
    await this.recordAdjustments(q, month, adjustments);
    const written = (await insertPaymentLines(q, runId, month, lines)) + (await insertLinesOfMonths(q, runId, earlier));
    return { lines: written, adjusted: adjustments.length };
  }

  /**
   * A new 低保 standard changes the monthly amount from its month (docs/money.md "A new standard"): the entitlement
   * takes the new amount and standard, and its case's chain an ENTITLEMENT_ADJUSTED event with the old and new
   * amounts, the month and the parameter value used. The cases are locked in id order first (the lock order).
   */
  private async recordAdjustments(
    q: Queryable,
    month: YearMonth,
    adjustments: readonly { entitlement: EntitlementForRun; amountFen: number; parameter: unknown }[],
  ): Promise<void> {
    if (adjustments.length === 0) return;
    const caseIds = [...new Set(adjustments.map((a) => a.entitlement.caseId))].sort();
    const heads = (await q.query(
      `SELECT id, last_event_seq, last_event_hash FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [caseIds],
    )) as { id: string; last_event_seq: number; last_event_hash: string | null }[];
    const head = new Map(heads.map((h) => [String(h.id), { seq: h.last_event_seq, hash: h.last_event_hash }]));
    const now = this.clock.now();
    for (const { entitlement, amountFen, parameter } of adjustments) {
      const standard = parameter as { value: number };
      await q.query(
        `UPDATE entitlements SET monthly_amount_fen = $2, version = version + 1, updated_at = $4,
                basis = jsonb_set(basis, '{minimumLiving,standardFen}', to_jsonb($3::bigint))
         WHERE id = $1`,
        [entitlement.id, amountFen, standard.value, now],
      );
      const after = head.get(entitlement.caseId);
      if (after === undefined) continue;
      head.set(
        entitlement.caseId,
        await appendCaseEvents(q, entitlement.caseId, after, [
          {
            id: randomUUID(),
            type: 'ENTITLEMENT_ADJUSTED',
            actor: 'system:payments',
            payload: {
              entitlementId: entitlement.id,
              reason: 'standard-changed',
              fromMonth: month,
              fromAmountFen: entitlement.monthlyAmountFen,
              toAmountFen: amountFen,
              parameters: [parameter],
            },
            occurredAt: now,
          },
        ]),
      );
    }
  }
}

/**
 * An instalment schedule's (临时救助) instalments of months before the run's that are still owed: an approval
 * after its month's run was built, a month the entitlement was suspended in (docs/money.md "临时救助: one payer, in
 * instalments"). The approved amount is owed until paid; the unique (entitlement, month) line pays it once.
 */
function earlierInstalments(entitlement: EntitlementForRun, month: YearMonth): (NewPaymentLine & { month: string })[] {
  if (entitlement.status !== 'active' && entitlement.status !== 'gradual-exit') return [];
  return (instalmentsOf(entitlement.basis) ?? [])
    .filter((instalment) => instalment.month < month && instalment.amountFen > 0)
    .map((instalment) => ({
      entitlementId: entitlement.id,
      month: instalment.month,
      amountFen: instalment.amountFen,
      itemCode: entitlement.itemCode,
      district: entitlement.district,
      division: entitlement.division,
      bank: entitlement.bank,
    }));
}
