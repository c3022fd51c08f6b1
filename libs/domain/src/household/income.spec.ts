import fc from 'fast-check';
import { type Fen, fen } from '../money/fen.js';
import { household, member } from './household.fixtures.js';
import type { MonthlyIncome } from './household.js';
import { householdMonthlyIncome, memberMonthlyIncome, perCapitaMonthlyIncome } from './income.js';

describe('memberMonthlyIncome', () => {
  const f = (n: number) => fen(n);
  it.each<[string, MonthlyIncome, number]>([
    ['no income', {}, 0],
    ['wages only (A)', { wages: f(250_000) }, 250_000],
    [
      'A + B + C + D + E',
      { wages: f(100_000), netBusiness: f(20_000), netProperty: f(3_000), netTransfer: f(400), other: f(5) },
      123_405,
    ],
    ['A − F (the work-cost deduction)', { wages: f(200_000), necessaryWorkCostDeduction: f(30_000) }, 170_000],
    ['F equal to the income', { wages: f(30_000), necessaryWorkCostDeduction: f(30_000) }, 0],
    ['F above the income stops at zero', { wages: f(10_000), necessaryWorkCostDeduction: f(30_000) }, 0],
    ['F alone', { necessaryWorkCostDeduction: f(30_000) }, 0],
  ])('%s', (_, monthlyIncome, expected) => {
    expect(memberMonthlyIncome(member({ monthlyIncome }))).toBe(expected);
  });

  it('refuses a negative category, naming it', () => {
    expect(() => memberMonthlyIncome(member({ monthlyIncome: { netBusiness: -500 as Fen } }), 'members[1]')).toThrow(
      expect.objectContaining({
        code: 'MONEY.NEGATIVE_AMOUNT',
        details: { field: 'members[1].monthlyIncome.netBusiness' },
      }),
    );
  });

  it('refuses a fractional amount smuggled past the type', () => {
    expect(() => memberMonthlyIncome(member({ monthlyIncome: { wages: 100.5 as Fen } }))).toThrow(
      expect.objectContaining({ code: 'MONEY.NOT_INTEGER_FEN', details: { field: 'member.monthlyIncome.wages' } }),
    );
  });
});

describe('householdMonthlyIncome', () => {
  it('sums the members, 0 for none', () => {
    expect(householdMonthlyIncome([])).toBe(0);
    const { members } = household([
      { monthlyIncome: { wages: fen(180_000), necessaryWorkCostDeduction: fen(20_000) } },
      { monthlyIncome: { netTransfer: fen(45_000) } },
      {},
    ]);
    expect(householdMonthlyIncome(members)).toBe(205_000);
  });

  it('names the member by position when a category is wrong', () => {
    const { members } = household([{}, {}, { monthlyIncome: { other: -1 as Fen } }]);
    expect(() => householdMonthlyIncome(members)).toThrow(
      expect.objectContaining({ details: { field: 'members[2].monthlyIncome.other' } }),
    );
  });
});

describe('perCapitaMonthlyIncome', () => {
  it.each([
    [[90_000], 90_000],
    [[90_000, 0, 0], 30_000],
    [[100_000, 0, 1], 33_333], // 100 001 / 3 = 33 333.67, rounded down
    [[2, 0, 0], 0],
    [[0, 0, 0, 0], 0],
  ])('incomes %p give %p per person', (incomes, expected) => {
    const subject = household(incomes.map((amount) => ({ monthlyIncome: { wages: fen(amount) } })));
    expect(perCapitaMonthlyIncome(subject)).toBe(expected);
  });

  it('refuses a household without members', () => {
    expect(() => perCapitaMonthlyIncome({ members: [] })).toThrow(
      expect.objectContaining({ code: 'HOUSEHOLD.NO_MEMBERS', details: { field: 'members' } }),
    );
  });

  it('is the floor of total ÷ members: perCapita × n ≤ total < (perCapita + 1) × n', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10_000_000 }), { minLength: 1, maxLength: 12 }), (incomes) => {
        const subject = household(incomes.map((amount) => ({ monthlyIncome: { wages: fen(amount) } })));
        const total = incomes.reduce((sum, amount) => sum + amount, 0);
        const perCapita = perCapitaMonthlyIncome(subject);
        const n = incomes.length;
        return Number.isSafeInteger(perCapita) && perCapita * n <= total && total < (perCapita + 1) * n;
      }),
    );
  });
});
