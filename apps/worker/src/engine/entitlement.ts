import {
  fen,
  disabilitySubsidyAmount,
  extremePovertySupport,
  isSelfCareLevel,
  minimumLivingEntitlement,
  toShanghaiDate,
  unemploymentBenefit,
  useParameter,
  type ComputedAmount,
  type HouseholdMember,
  type IsoDate,
  type ParameterUse,
  type StandardParameter,
} from '@minsheng/domain';
import type { GrantEntitlementParams } from '@minsheng/workflows';

/**
 * What `cases.entitlement` holds after approval: the amount in fen (docs/architecture.md invariant 8) with its formula
 * and every parameter it was computed from, each with its value, period, source and evidence, and whether the amount
 * is provisional (computed from an assumed or recalled value), so the decision can be checked by hand years later.
 */
export type StoredEntitlement = Readonly<Record<string, unknown>> & { readonly kind: string };

/** The steps whose findings may carry the verified household income, latest first (re-investigation wins). */
const INCOME_FINDING_STEPS = ['reinvestigation', 'investigation'];

/**
 * The entitlement a grant stores, computed from the published parameters in force on the day of the decision that
 * grants it (`now`, the approval; docs/domain.md §7 says which day per procedure). A parameter with no value in force
 * throws `PARAMETER.NOT_IN_FORCE` (a DomainError): the command fails once, permanently, with an operator alert.
 */
export function entitlementFor(
  params: GrantEntitlementParams,
  facts: Readonly<Record<string, unknown>>,
  now: Date,
  parameters: readonly StandardParameter[],
): StoredEntitlement {
  const today = toShanghaiDate(now);
  switch (params.kind) {
    case 'minimum-living-allowance':
      return minimumLivingAllowance(params, facts, now, parameters);
    case 'extreme-poverty-support': {
      const level = params.details?.['selfCareLevel'];
      const selfCare = isSelfCareLevel(level) ? level : 'full';
      const amount = extremePovertySupport({ parameters, area: areaOf(facts), selfCare, on: today });
      return stored(params, amount, now, {
        basicLivingFen: amount.basicLivingFen,
        careFen: amount.careFen,
        selfCareFrom: isSelfCareLevel(level) ? 'findings of the confirmation' : 'not assessed: no care amount',
      });
    }
    case 'disability-living-subsidy':
    case 'disability-nursing-subsidy': {
      const subsidy = params.kind === 'disability-living-subsidy' ? 'living' : 'nursing';
      return stored(params, disabilitySubsidyAmount({ parameters, subsidy, on: today }), now);
    }
    case 'unemployment-benefit': {
      const months = findingOf(facts, 'review', 'contributionMonths');
      const amount = unemploymentBenefit({
        parameters,
        contributionMonths: typeof months === 'number' && Number.isSafeInteger(months) ? months : undefined,
        on: today,
      });
      // A remaining earlier entitlement combines with the new one, at most 24 months (失业保险条例 art. 17,
      // docs/domain.md §3.9); the machine states what it granted in the details.
      const remaining = findingOf(facts, 'review', 'remainingMonths');
      const combined =
        amount.months !== null && typeof remaining === 'number' && Number.isSafeInteger(remaining) && remaining > 0
          ? Math.min(24, amount.months + remaining)
          : null;
      return stored(params, amount, now, {
        months: combined ?? amount.months,
        ...(combined === null
          ? {}
          : { monthsFrom: `${amount.months} earned + ${remaining} remaining, at most 24 (失业保险条例 art. 17)` }),
      });
    }
    case 'temporary-assistance':
      return temporaryAssistance(params, facts, now);
    default:
      return {
        kind: params.kind,
        amountFen: params.amountFen ?? null,
        instalments: params.instalments ?? null,
        details: params.details ?? {},
        formula:
          params.amountFen === undefined ? 'granted as the procedure provides' : 'amount approved by the decision',
        computedAt: now.toISOString(),
      };
  }
}

/**
 * Two grants in one step (the living and the nursing subsidy decided together, 国发〔2015〕52号: a person may receive
 * both) are stored together: each with its own amount and sources, and their monthly total.
 */
export function withGrant(current: StoredEntitlement | null, granted: StoredEntitlement): StoredEntitlement {
  if (current === null) return granted;
  const grants = [...((current['grants'] as StoredEntitlement[] | undefined) ?? [current]), granted];
  const monthly = grants.map((g) => g['monthlyAmountFen']).filter((m): m is number => typeof m === 'number');
  return {
    kind: 'grants',
    grants,
    monthlyAmountFen: monthly.length === 0 ? null : monthly.reduce((a, b) => a + b, 0),
    formula: grants.map((g) => `${g.kind}: ${String(g['formula'])}`).join('; '),
    provisional: grants.some((g) => g['provisional'] === true),
    computedAt: granted['computedAt'],
  };
}

function stored(
  params: GrantEntitlementParams,
  amount: ComputedAmount,
  now: Date,
  extra: Record<string, unknown> = {},
): StoredEntitlement {
  return {
    kind: params.kind,
    monthlyAmountFen: amount.monthlyAmountFen,
    formula: amount.formula,
    legalBasis: amount.legalBasis,
    ...extra,
    parameterSources: amount.parameters,
    provisional: amount.provisional,
    details: params.details ?? {},
    computedAt: now.toISOString(),
  };
}

/**
 * 临时救助: the amount is the one the decision approved, within the caps fixed at intake from the parameters in force
 * on the day of application (docs/domain.md §7.4); those caps' provenance is stored with it.
 */
function temporaryAssistance(
  params: GrantEntitlementParams,
  facts: Readonly<Record<string, unknown>>,
  now: Date,
): StoredEntitlement {
  const caps = (facts['procedureInputParameters'] as ParameterUse[] | undefined) ?? [];
  const input = facts['procedureInput'] as Record<string, unknown> | undefined;
  return {
    kind: params.kind,
    amountFen: params.amountFen ?? null,
    instalments: params.instalments ?? null,
    // v3: what the payment run pays, instalment by instalment (the relief already given is not in it).
    ...(params.instalmentsFen === undefined ? {} : { instalmentsFen: params.instalmentsFen }),
    formula:
      `amount approved by the decision, within the cap ${String(input?.['capFen'])} fen ` +
      `(major case ${String(input?.['majorCaseCapFen'])} fen) fixed on the day of application`,
    legalBasis: '社会救助暂行办法 arts. 47–49; P6',
    parameterSources: caps,
    provisional: caps.some((p) => p.provisional),
    details: params.details ?? {},
    computedAt: now.toISOString(),
  };
}

function areaOf(facts: Readonly<Record<string, unknown>>): 'urban' | 'rural' {
  return facts['area'] === 'rural' || facts['householdRegistrationType'] === 'rural' ? 'rural' : 'urban';
}

function findingOf(facts: Readonly<Record<string, unknown>>, step: string, key: string): unknown {
  const findings = facts['findings'] as Record<string, Record<string, unknown> | undefined> | undefined;
  return findings?.[step]?.[key];
}

/**
 * 社会救助暂行办法 art. 12: (standard − per-capita income) × members, plus the special-category top-ups, with the
 * standard and top-up in force today for the household's area (urban unless the facts say rural). The income is
 * the one the means investigation verified when it recorded one; otherwise the members' declared incomes.
 */
function minimumLivingAllowance(
  params: GrantEntitlementParams,
  facts: Readonly<Record<string, unknown>>,
  now: Date,
  parameters: readonly StandardParameter[],
): StoredEntitlement {
  const today = toShanghaiDate(now);
  const area = areaOf(facts);
  const standard = useParameter(parameters, `minimum-living.standard.${area}`, today, '低保');
  const topUp = useParameter(parameters, `minimum-living.special-category-top-up.${area}`, today, '低保');
  const { members, membersFrom } = householdMembers(facts, today);
  const verified = verifiedIncome(facts);
  const counted: HouseholdMember[] =
    verified === undefined
      ? members
      : members.map((member, index) => ({ ...member, monthlyIncome: { other: fen(index === 0 ? verified.fen : 0) } }));
  const result = minimumLivingEntitlement({
    standardPerPersonMonthly: fen(standard.value),
    household: { members: counted },
    specialCategoryTopUps: {
      elderly: fen(topUp.value),
      minor: fen(topUp.value),
      severeDisability: fen(topUp.value),
      seriousIllness: fen(topUp.value),
    },
    today,
  });
  return {
    kind: params.kind,
    eligible: result.eligible,
    monthlyAmountFen: result.monthlyAmount,
    formula: result.formula,
    parameters: result.parameters,
    ...(result.eligible ? { breakdown: result.breakdown } : { reason: result.reason }),
    parameterSources: [standard, topUp],
    provisional: standard.provisional || topUp.provisional,
    incomeFrom: verified === undefined ? 'declared member incomes' : `findings of ${verified.step}`,
    membersFrom,
    // Intake kept only the applicant for a single-person (单人户) test (docs/domain.md §3.1).
    meansTestUnit: facts['meansTestUnit'] === 'single-person' ? 'single-person' : 'household',
    details: params.details ?? {},
    computedAt: now.toISOString(),
  };
}

interface FactMember {
  id?: unknown;
  birthDate?: unknown;
  health?: unknown;
  disability?: { grade?: unknown; category?: unknown; validUntil?: unknown };
  monthlyIncomeFen?: unknown;
}

/**
 * The members living together, from the non-personal facts (`facts.household.members`: id, birth date, health,
 * disability grade, declared income). Without member details the household size alone is used, every member
 * counted as an adult outside the special categories (no top-up is assumed that nobody checked).
 */
function householdMembers(
  facts: Readonly<Record<string, unknown>>,
  today: IsoDate,
): { members: HouseholdMember[]; membersFrom: string } {
  const household = facts['household'] as { members?: FactMember[] } | undefined;
  if (Array.isArray(household?.members) && household.members.length > 0) {
    return { members: household.members.map((m, i) => member(m, i)), membersFrom: 'facts.household.members' };
  }
  // Intake's facts: members with their age on the day of application, and the declared household income.
  const members = facts['members'] as IntakeMember[] | undefined;
  if (Array.isArray(members) && members.length > 0) {
    const declared = typeof facts['householdMonthlyIncomeFen'] === 'number' ? facts['householdMonthlyIncomeFen'] : 0;
    return {
      members: members.map((m, i) =>
        member(
          {
            id: m.memberId,
            birthDate: yearsBefore(today, typeof m.age === 'number' ? m.age : 30),
            health: m.health,
            disability: { grade: m.disabilityGrade },
            monthlyIncomeFen: i === 0 ? declared : 0,
          },
          i,
        ),
      ),
      membersFrom: 'facts.members (ages at application)',
    };
  }
  const size = typeof facts['householdSize'] === 'number' && facts['householdSize'] > 0 ? facts['householdSize'] : 1;
  const adult = yearsBefore(today, 30);
  return {
    members: Array.from({ length: size }, (_, i) => member({ birthDate: adult }, i)),
    membersFrom: `facts.householdSize (${size}); no member details, no special category assumed`,
  };
}

interface IntakeMember {
  memberId?: unknown;
  age?: unknown;
  health?: unknown;
  disabilityGrade?: unknown;
}

/** The latest birth date giving `age` today (an age is all intake keeps; it does not need the birth date). */
function yearsBefore(today: IsoDate, age: number): IsoDate {
  return `${String(Number(today.slice(0, 4)) - age).padStart(4, '0')}${today.slice(4)}`.replace('-02-29', '-02-28');
}

function member(m: FactMember, index: number): HouseholdMember {
  const income = typeof m.monthlyIncomeFen === 'number' ? m.monthlyIncomeFen : 0;
  const grade = m.disability?.grade;
  return {
    id: typeof m.id === 'string' ? m.id : `m${index + 1}`,
    name: '',
    idNumber: '',
    relation: index === 0 ? 'head' : 'other',
    birthDate: String(m.birthDate),
    health: m.health === 'serious-illness' || m.health === 'chronic-illness' ? m.health : 'healthy',
    workCapacity: 'full',
    monthlyIncome: { other: fen(income) },
    ...(grade === 1 || grade === 2 || grade === 3 || grade === 4
      ? {
          disability: {
            category: 'physical',
            grade,
            certificate: {
              number: '',
              ...(typeof m.disability?.validUntil === 'string' ? { validUntil: m.disability.validUntil } : {}),
            },
          },
        }
      : {}),
  } as HouseholdMember;
}

function verifiedIncome(facts: Readonly<Record<string, unknown>>): { fen: number; step: string } | undefined {
  const findings = facts['findings'] as Record<string, Record<string, unknown> | undefined> | undefined;
  for (const step of INCOME_FINDING_STEPS) {
    const value = findings?.[step]?.['verifiedHouseholdIncomeFen'];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return { fen: value, step };
  }
  return undefined;
}
