import { DomainError } from '../errors/domain-error.js';
import { type Fen, applyRatio, fen, nonNegativeFen, subtractFen, sumFen } from '../money/fen.js';
import { HOUSEHOLD_ERRORS } from './household-errors.js';
import { type Household, type HouseholdMember, INCOME_CATEGORIES } from './household.js';

/**
 * A member's counted monthly income: A + B + C + D + E − F (the case form's categories, docs/domain.md §5.4).
 * Each category must be a non-negative integer of fen (a business loss is entered as 0 net business income).
 * The work-cost deduction F can bring the member's income down to zero but not below [G]: a deduction for the
 * cost of earning an income cannot create a negative income that would lower the other members' incomes.
 * @param field path of the member in the request, used in error details (e.g. `members[2]`).
 * @throws DomainError `MONEY.NOT_INTEGER_FEN` or `MONEY.NEGATIVE_AMOUNT` naming the category.
 */
export function memberMonthlyIncome(member: HouseholdMember, field = 'member'): Fen {
  const amounts = Object.fromEntries(
    INCOME_CATEGORIES.map((category) => [
      category,
      nonNegativeFen(member.monthlyIncome[category] ?? 0, `${field}.monthlyIncome.${category}`),
    ]),
  ) as Record<(typeof INCOME_CATEGORIES)[number], Fen>;
  const gross = sumFen([amounts.wages, amounts.netBusiness, amounts.netProperty, amounts.netTransfer, amounts.other]);
  const net = subtractFen(gross, amounts.necessaryWorkCostDeduction);
  return net < 0 ? fen(0) : net;
}

/** Total monthly income of the members living together (社会救助暂行办法 art. 9), in fen. */
export function householdMonthlyIncome(members: readonly HouseholdMember[]): Fen {
  return sumFen(members.map((member, index) => memberMonthlyIncome(member, `members[${index}]`)));
}

/**
 * Per-capita monthly income (家庭月人均收入) of 社会救助暂行办法 art. 9: the household's monthly income divided by
 * the number of members living together, **rounded down to the fen** [G]. Rounding down never leaves a household
 * below the standard: with the gap method the amount is then at least standard × members − income.
 * @throws DomainError `HOUSEHOLD.NO_MEMBERS` for a household without members.
 */
export function perCapitaMonthlyIncome(household: Pick<Household, 'members'>): Fen {
  const count = household.members.length;
  if (count === 0) {
    throw new DomainError(HOUSEHOLD_ERRORS.noMembers, 'A household has at least one member', { field: 'members' });
  }
  return applyRatio(householdMonthlyIncome(household.members), 1, count, 'floor');
}
