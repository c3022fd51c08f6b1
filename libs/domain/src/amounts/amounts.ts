import { type IsoDate } from '../calendar/calendar-date.js';
import { DomainError } from '../errors/domain-error.js';
import { type StandardParameter } from '../catalog/parameters.js';
import { type Fen, applyRatio, fen, formatYuan } from '../money/fen.js';
import { decimalRatio, type ParameterUse, useParameter } from './parameter-use.js';

/** An amount with everything it was computed from (docs/architecture.md invariant 13). */
export interface ComputedAmount {
  readonly monthlyAmountFen: Fen;
  readonly formula: string;
  readonly legalBasis: string;
  readonly parameters: readonly ParameterUse[];
  /** True when any parameter used is provisional: the amount is then provisional too. */
  readonly provisional: boolean;
}

function computed(
  monthlyAmountFen: Fen,
  formula: string,
  legalBasis: string,
  parameters: readonly ParameterUse[],
): ComputedAmount {
  return { monthlyAmountFen, formula, legalBasis, parameters, provisional: parameters.some((p) => p.provisional) };
}

/**
 * 生活自理能力: fully self-caring, partly unable, fully unable (特困人员认定办法 arts. 21–22 [S C6], docs/domain.md
 * §7.2); sets the care standard.
 */
export const SELF_CARE_LEVELS = ['full', 'partial', 'none'] as const;
export type SelfCareLevel = (typeof SELF_CARE_LEVELS)[number];

export function isSelfCareLevel(value: unknown): value is SelfCareLevel {
  return typeof value === 'string' && (SELF_CARE_LEVELS as readonly string[]).includes(value);
}

/** The published care standard of each level that receives care. */
export const CARE_STANDARD_KEYS: Readonly<Record<Exclude<SelfCareLevel, 'full'>, string>> = {
  partial: 'extreme-poverty.care.partly-unable',
  none: 'extreme-poverty.care.fully-unable',
};

/**
 * 特困人员救助供养 (docs/domain.md §7.2): basic living = the local 低保 standard × the published multiple (at least
 * 1.3, 国发〔2016〕14号), rounded up to the fen so it is never below the multiple; plus the care standard of the
 * person's self-care level. A self-caring person receives no care amount (社会救助暂行办法 art. 15 gives care to
 * those who cannot look after themselves).
 */
export function extremePovertySupport(input: {
  readonly parameters: readonly StandardParameter[];
  readonly area: 'urban' | 'rural';
  readonly selfCare: SelfCareLevel;
  readonly on: IsoDate;
}): ComputedAmount & { readonly basicLivingFen: Fen; readonly careFen: Fen } {
  const purpose = '特困 support';
  const standard = useParameter(input.parameters, `minimum-living.standard.${input.area}`, input.on, purpose);
  const multiple = useParameter(input.parameters, 'extreme-poverty.basic-standard-multiple', input.on, purpose);
  const { numerator, denominator } = decimalRatio(multiple.value, multiple.key);
  const basic = applyRatio(fen(standard.value), numerator, denominator, 'ceil');
  const used = [standard, multiple];
  let care = fen(0);
  let careText = 'care 0.00 (fully self-caring)';
  if (input.selfCare !== 'full') {
    const careStandard = useParameter(input.parameters, CARE_STANDARD_KEYS[input.selfCare], input.on, purpose);
    used.push(careStandard);
    care = fen(careStandard.value);
    careText = `care ${formatYuan(care)} (self-care: ${input.selfCare})`;
  }
  const total = fen(basic + care);
  return {
    ...computed(
      total,
      `basic living ⌈${multiple.value} × ${input.area} 低保 standard ${formatYuan(fen(standard.value))}⌉ = ` +
        `${formatYuan(basic)} + ${careText} = ${formatYuan(total)} yuan a month`,
      '社会救助暂行办法 art. 15; 国发〔2016〕14号; 特困人员认定办法 arts. 21–22',
      used,
    ),
    basicLivingFen: basic,
    careFen: care,
  };
}

export type DisabilitySubsidy = 'living' | 'nursing';

/**
 * 两项补贴 (docs/domain.md §7.3): each subsidy is paid monthly at the standard published for it (the Xinjiang base,
 * 新民发〔2026〕20号, unless Urumqi publishes more).
 */
export function disabilitySubsidyAmount(input: {
  readonly parameters: readonly StandardParameter[];
  readonly subsidy: DisabilitySubsidy;
  readonly on: IsoDate;
}): ComputedAmount {
  const standard = useParameter(
    input.parameters,
    `disability-subsidies.${input.subsidy}-subsidy`,
    input.on,
    `the ${input.subsidy} subsidy`,
  );
  const amount = fen(standard.value);
  return computed(
    amount,
    `${input.subsidy} subsidy standard ${formatYuan(amount)} yuan a month`,
    '新民规发〔2022〕3号; 国发〔2015〕52号',
    [standard],
  );
}

/**
 * 失业保险金 (docs/domain.md §7.5). The benefit period follows the years of contributions (社会保险法 art. 46: 1–5
 * years 12 months, 5–10 years 18, 10 or more 24); the monthly amount is the published share of the Urumqi minimum
 * wage, rounded down, not below the urban 低保 standard (art. 47) and below the minimum wage (失业保险条例 art. 18).
 */
export function unemploymentBenefit(input: {
  readonly parameters: readonly StandardParameter[];
  /** Months of contributions the handling office verified; undefined when the review recorded none. */
  readonly contributionMonths: number | undefined;
  readonly on: IsoDate;
}): ComputedAmount & { readonly months: number | null } {
  const purpose = '失业保险金';
  const use = (key: string) => useParameter(input.parameters, key, input.on, purpose);
  const wage = use('unemployment-benefit.minimum-wage');
  const share = use('unemployment-benefit.ratio-to-minimum-wage');
  const floor = use('minimum-living.standard.urban');
  const { numerator, denominator } = decimalRatio(share.value, share.key);
  const shareOfWage = applyRatio(fen(wage.value), numerator, denominator, 'floor');
  const amount = shareOfWage < floor.value ? fen(floor.value) : shareOfWage;
  if (amount >= wage.value) {
    throw new DomainError(
      'PARAMETER.INCONSISTENT',
      `the urban 低保 standard ${formatYuan(fen(floor.value))} is not below the minimum wage ${formatYuan(fen(wage.value))}`,
      { field: wage.key, key: wage.key, date: input.on },
    );
  }
  const used = [wage, share, floor];
  let months: number | null = null;
  let monthsText = 'benefit period not computed: the review recorded no months of contributions';
  const contributed = input.contributionMonths;
  if (contributed !== undefined && contributed >= 12) {
    const years = Math.floor(contributed / 12);
    const band = years >= 10 ? '10-years-or-more' : years >= 5 ? '5-to-10-years' : '1-to-5-years';
    const maxMonths = use(`unemployment-benefit.max-months.contributions-${band}`);
    used.push(maxMonths);
    months = maxMonths.value;
    monthsText = `${months} months for ${contributed} months (${years} full years) of contributions`;
  }
  const formula =
    `max(⌊${share.value} × minimum wage ${formatYuan(fen(wage.value))}⌋ = ${formatYuan(shareOfWage)}, ` +
    `urban 低保 standard ${formatYuan(fen(floor.value))}) = ${formatYuan(amount)} yuan a month; ${monthsText}`;
  const result = computed(amount, formula, '社会保险法 arts. 46–47; 失业保险条例 art. 18', used);
  return { ...result, months, provisional: result.provisional || months === null };
}

/**
 * The caps of one temporary-assistance grant (docs/domain.md §7.4): 5 × (急难型) or 8 × (支出型) the autonomous
 * region's urban 低保 monthly standard, and the fixed maximum of a major case decided one by one (一事一议), all as
 * published on the day of application.
 */
export function temporaryAssistanceCaps(input: {
  readonly parameters: readonly StandardParameter[];
  readonly type: 'emergency' | 'expenditure';
  readonly on: IsoDate;
}): {
  readonly capFen: Fen;
  readonly majorCaseCapFen: Fen;
  readonly formula: string;
  readonly parameters: readonly ParameterUse[];
  readonly provisional: boolean;
} {
  const purpose = '临时救助 caps';
  const use = (key: string) => useParameter(input.parameters, key, input.on, purpose);
  const standard = use('temporary-assistance.regional-urban-standard');
  const multiple = use(`temporary-assistance.cap.${input.type}`);
  const major = use('temporary-assistance.cap.major-case');
  const { numerator, denominator } = decimalRatio(multiple.value, multiple.key);
  const cap = applyRatio(fen(standard.value), numerator, denominator, 'floor');
  const used = [standard, multiple, major];
  return {
    capFen: cap,
    majorCaseCapFen: fen(major.value),
    formula:
      `${multiple.value} × regional urban 低保 standard ${formatYuan(fen(standard.value))} = ${formatYuan(cap)} yuan; ` +
      `major case (一事一议) at most ${formatYuan(fen(major.value))} yuan`,
    parameters: used,
    provisional: used.some((p) => p.provisional),
  };
}
