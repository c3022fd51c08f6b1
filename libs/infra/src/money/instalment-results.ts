import { randomUUID } from 'node:crypto';
import { instalmentIn } from '@minsheng/domain';
import { appendCaseEvents, type Queryable } from '../case-log/case-event-chain.js';
import { type CaseCommand } from '../queue/queue-contract.js';
import { type SettledLine } from './payment-runs.js';

/** Who tells a case the bank's answer on its instalment (the actor of the commands below). */
export const PAYMENT_RESULTS_ACTOR = 'system:payments';

/**
 * The bank's answer on a 临时救助 instalment's line, fed to the case's payment step (docs/money.md "临时救助: one
 * payer, in instalments"): a paid line becomes PAYMENT_CONFIRMED, a returned one PAYMENT_FAILED, naming the
 * instalment of the line's month in the entitlement's schedule and the line. One command per line settled now,
 * in the import's transaction (the outbox), so an import repeated tells nobody again. Lines of other kinds, and of
 * entitlements without a schedule, send nothing. Returns the number of commands written.
 */
export async function sendInstalmentResults(q: Queryable, settled: readonly SettledLine[]): Promise<number> {
  if (settled.length === 0) return 0;
  const rows = (await q.query(
    `SELECT id, basis FROM entitlements WHERE id = ANY ($1::uuid[]) AND kind = 'temporary-assistance'`,
    [[...new Set(settled.map((l) => l.entitlementId))]],
  )) as { id: string; basis: unknown }[];
  const basis = new Map(rows.map((r) => [String(r.id), r.basis]));
  let sent = 0;
  for (const line of settled) {
    if (!basis.has(line.entitlementId)) continue;
    const instalment = instalmentIn(basis.get(line.entitlementId), line.month);
    if (instalment === null) continue;
    const event: CaseCommand['event'] =
      line.outcome === 'paid'
        ? {
            type: 'PAYMENT_CONFIRMED',
            instalment: instalment.instalment,
            reference: `payment-line:${line.lineId}`,
            actor: PAYMENT_RESULTS_ACTOR,
          }
        : {
            type: 'PAYMENT_FAILED',
            instalment: instalment.instalment,
            reason: `payment-line:${line.lineId} returned: ${line.reason ?? 'other'}`,
            actor: PAYMENT_RESULTS_ACTOR,
          };
    const command: CaseCommand = {
      caseId: line.caseId,
      commandId: randomUUID(),
      event,
      actor: PAYMENT_RESULTS_ACTOR,
    };
    // No chain event here: the engine records the command's event on the case's chain when it applies it.
    await appendCaseEvents(
      q,
      line.caseId,
      { seq: 0, hash: null },
      [],
      [{ kind: 'case.command', caseId: line.caseId, payload: command }],
    );
    sent += 1;
  }
  return sent;
}
