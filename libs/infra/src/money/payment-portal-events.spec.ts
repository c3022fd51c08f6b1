import { paymentPortalEvent } from './payment-portal-events.js';
import type { SettledLine } from './payment-runs.js';

const line: SettledLine = {
  lineId: 'line-1',
  runId: 'run-1',
  entitlementId: 'entitlement-1',
  caseId: 'case-1',
  caseStatus: 'approved',
  itemCode: 'BPS-064',
  month: '2026-10',
  amountFen: 37_200,
  outcome: 'paid',
  reason: null,
};

describe('what a portal hears of a settled payment line', () => {
  it('a paid line is payment.made with ids, the month and the amount in fen, and nothing else', () => {
    expect(paymentPortalEvent(line)).toEqual({
      caseId: 'case-1',
      itemCode: 'BPS-064',
      event: {
        type: 'payment.made',
        data: {
          status: 'approved',
          paymentLineId: 'line-1',
          paymentRunId: 'run-1',
          entitlementId: 'entitlement-1',
          month: '2026-10',
          amountFen: 37_200,
        },
      },
    });
  });

  it('a returned line is payment.returned with the bank reason code', () => {
    const { event } = paymentPortalEvent({ ...line, outcome: 'returned', reason: 'account-closed' });
    expect(event.type).toBe('payment.returned');
    expect(event.data).toMatchObject({ paymentLineId: 'line-1', amountFen: 37_200, reason: 'account-closed' });
  });
});
