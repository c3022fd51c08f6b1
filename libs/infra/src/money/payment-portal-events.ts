import type { CasePortalEvent } from '../webhooks/webhook-delivery-writes.js';
import type { SettledLine } from './payment-runs.js';

/**
 * What a case's portal hears of a settled payment line (docs/webhooks.md "Events"): `payment.made` when the bank
 * paid it, `payment.returned` with the bank's reason code when it came back. Ids, the month, the amount in fen and
 * codes only: never the beneficiary's name, the bank or the account.
 */
export function paymentPortalEvent(line: SettledLine): CasePortalEvent {
  const data = {
    status: line.caseStatus,
    paymentLineId: line.lineId,
    paymentRunId: line.runId,
    entitlementId: line.entitlementId,
    month: line.month,
    amountFen: line.amountFen,
  };
  return {
    caseId: line.caseId,
    itemCode: line.itemCode,
    event:
      line.outcome === 'paid'
        ? { type: 'payment.made', data }
        : { type: 'payment.returned', data: { ...data, reason: line.reason } },
  };
}
