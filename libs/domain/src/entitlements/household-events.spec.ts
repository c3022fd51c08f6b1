import { ENTITLEMENT_CHANGES } from './entitlement-changes.js';
import { HOUSEHOLD_EVENT_RULES, householdEventChange, suspendedMonths } from './household-events.js';
import { type YearMonth } from './months.js';
import { type IsoDate } from '../calendar/calendar-date.js';

const m = (s: string) => s as YearMonth;

describe('household events and arrears (docs/money.md)', () => {
  it('gives every event a reason its change takes', () => {
    for (const rule of Object.values(HOUSEHOLD_EVENT_RULES)) {
      expect(ENTITLEMENT_CHANGES[rule.change].reasons as readonly string[]).toContain(rule.reason);
    }
  });

  it.each([
    ['death-registration', '2026-09-30', 'ending', 'deceased', '2026-10'],
    ['moved-out-of-district', '2026-12-01', 'ending', 'moved-out-of-district', '2027-01'],
    ['income-above-standard', '2026-10-15', 'suspension', 'income-above-standard', '2026-11'],
  ] as const)('%s on %s: %s (%s) from %s', (kind, on, change, reason, month) => {
    expect(householdEventChange(kind, on as IsoDate)).toEqual({ change, reason, effectiveMonth: month });
  });

  it('owes the months from the suspension to the month before the resumption, within the paid months', () => {
    const open = { startMonth: m('2026-07'), endMonth: null };
    expect(suspendedMonths(m('2026-10'), m('2027-01'), open)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(suspendedMonths(m('2026-10'), m('2026-10'), open)).toEqual([]);
    expect(suspendedMonths(m('2026-10'), m('2026-09'), open)).toEqual([]);
    expect(suspendedMonths(m('2026-05'), m('2026-08'), open)).toEqual(['2026-07']);
    expect(suspendedMonths(m('2026-10'), m('2027-02'), { startMonth: m('2026-07'), endMonth: m('2026-11') })).toEqual([
      '2026-10',
      '2026-11',
    ]);
  });
});
