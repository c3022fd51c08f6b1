import { defineParameter, type StandardParameter } from '../catalog/parameters.js';
import { STANDARD_PARAMETERS } from '../catalog/standard-parameters.js';
import { type IsoDate } from '../calendar/calendar-date.js';
import { PAYMENT_RUN_DAY_KEY, paymentRunDue } from './payment-run-day.js';

const day = (value: number, validFrom: IsoDate | null, validTo: IsoDate | null): StandardParameter =>
  defineParameter({
    key: PAYMENT_RUN_DAY_KEY,
    itemCode: 'BPS-064',
    value,
    unit: 'day-of-month',
    bound: 'exact',
    validFrom,
    validTo,
    source: 'test',
    evidence: 'S',
  });

// docs/money.md, section "The run's day".
describe('paymentRunDue: the payment run opens on and after the published day', () => {
  it('is due on and after the seeded 10th of each month, not before', () => {
    expect(paymentRunDue(STANDARD_PARAMETERS, '2027-02-09' as IsoDate)).toMatchObject({ due: false, month: '2027-02' });
    expect(paymentRunDue(STANDARD_PARAMETERS, '2027-02-10' as IsoDate)).toMatchObject({ due: true, month: '2027-02' });
    expect(paymentRunDue(STANDARD_PARAMETERS, '2027-02-28' as IsoDate).day).toMatchObject({ value: 10, evidence: 'G' });
  });

  it('takes the day in force on the day asked: a change from its start date only', () => {
    const timeline = [day(20, null, '2030-03-06'), day(5, '2030-03-06', null)];
    expect(paymentRunDue(timeline, '2030-03-05' as IsoDate).due).toBe(false);
    expect(paymentRunDue(timeline, '2030-03-06' as IsoDate)).toMatchObject({ due: true, day: { value: 5 } });
    expect(paymentRunDue(timeline, '2030-02-20' as IsoDate)).toMatchObject({ due: true, day: { value: 20 } });
    expect(paymentRunDue(timeline, '2030-04-04' as IsoDate).due).toBe(false);
  });

  it('fails with PARAMETER.NOT_IN_FORCE when no day is published for the date', () => {
    expect(() => paymentRunDue([day(10, '2031-01-01', null)], '2030-12-31' as IsoDate)).toThrow(
      expect.objectContaining({ code: 'PARAMETER.NOT_IN_FORCE' }),
    );
  });
});
