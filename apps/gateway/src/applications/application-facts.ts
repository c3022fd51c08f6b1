import {
  ageOn,
  householdMonthlyIncome,
  type HouseholdMember,
  type MeansTestUnit,
  type ParameterUse,
  perCapitaMonthlyIncome,
  type Routing,
} from '@minsheng/domain';
import { STORED_PROCEDURE_INPUT } from '@minsheng/workflows';
import { type SubmitApplicationRequest } from './submit-application.request.js';

/**
 * The non-personal facts of the case: counts, amounts in fen, categories, the procedure's input. `members` are those
 * the means test counts (the applicant alone for a single-person test, docs/domain.md §3.1).
 */
export function factsOf(
  request: SubmitApplicationRequest,
  members: readonly HouseholdMember[],
  routing: Routing,
  procedureInput: { input: Record<string, unknown>; parameters: readonly ParameterUse[] },
  today: string,
  means: { readonly unit: MeansTestUnit; readonly livingTogether: number },
): Record<string, unknown> {
  const household = request.household;
  const monthly = members.length > 0 ? householdMonthlyIncome(members) : 0;
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  return {
    // The one input the engine starts the machine from (docs/procedures.md "How events reach a machine").
    [STORED_PROCEDURE_INPUT]: procedureInput.input,
    ...(procedureInput.parameters.length > 0 ? { procedureInputParameters: procedureInput.parameters } : {}),
    districtCode: routing.districtCode,
    // The rule its offices were found by (docs/domain.md §3, "Where to apply").
    routingBasis: routing.basis,
    householdRegistrationType: request.applicant.householdRegistrationType,
    reasonCategory: request.reason.category,
    // The bank that pays the benefit (its name, not the account): payment runs export one file per bank.
    ...(request.bankAccount ? { bank: request.bankAccount.bankName } : {}),
    ...(request.details?.competenceGround
      ? { competence: { division: request.details.competentDivision, ground: request.details.competenceGround } }
      : {}),
    materials: request.materials.map((m) => m.type),
    ...(household
      ? {
          meansTestUnit: means.unit,
          ...(means.unit === 'single-person' ? { membersLivingTogether: means.livingTogether } : {}),
          householdSize: members.length,
          householdMonthlyIncomeFen: monthly,
          perCapitaMonthlyIncomeFen: members.length > 0 ? perCapitaMonthlyIncome({ members }) : 0,
          essentialSpendingLast12MonthsFen: sum(Object.values(household.essentialSpendingLast12Months)),
          financialAssetsFen: sum(Object.values(household.assets.financialFen)),
          vehicles: household.assets.vehicles.length,
          houses: household.assets.houses.length,
          dutyBearers: household.dutyBearers.length,
          members: members.map((m) => ({
            memberId: m.id,
            relation: m.relation,
            age: ageOn(m.birthDate, today),
            health: m.health,
            workCapacity: m.workCapacity,
            disabilityGrade: m.disability?.grade ?? null,
          })),
        }
      : {}),
  };
}
