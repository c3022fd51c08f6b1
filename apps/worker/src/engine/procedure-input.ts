import {
  STANDARD_PARAMETERS,
  fen,
  parameterValueAt,
  temporaryAssistanceCap,
  toShanghaiDate,
  type ProcedureId,
} from '@minsheng/domain';
import {
  generalReviewInput,
  type AssistanceType,
  type DayCounting,
  type ProcedureInputs,
  type Subsidy,
} from '@minsheng/workflows';

/**
 * The input a procedure's machine starts from, read from the case's non-personal `facts` (written by intake).
 * Intake may give the exact input under `facts.procedureInput`; otherwise each field is read from `facts` with
 * a conservative default (e.g. approval is not delegated to the street office unless the facts say so).
 */
export function procedureInput(
  procedureId: ProcedureId,
  itemCode: string,
  facts: Readonly<Record<string, unknown>>,
  now: Date,
): ProcedureInputs[ProcedureId] {
  const given = objectOr(facts['procedureInput'], facts);
  switch (procedureId) {
    case 'minimum-living':
      return { approvalDelegatedToStreet: given['approvalDelegatedToStreet'] === true };
    case 'extreme-poverty':
      return {};
    case 'temporary-assistance':
      return temporaryAssistanceInput(given, now);
    case 'disability-subsidies': {
      const subsidies = Array.isArray(given['subsidies']) ? (given['subsidies'] as Subsidy[]) : ['living', 'nursing'];
      return { subsidies } as ProcedureInputs['disability-subsidies'];
    }
    case 'legal-aid':
      return {
        urgent: given['urgent'] === true,
        dayCounting: (given['dayCounting'] === 'working-days' ? 'working-days' : 'calendar-days') as DayCounting,
      };
    case 'public-rental-housing':
      return { priorityHousehold: given['priorityHousehold'] === true };
    case 'unemployment-benefit':
      return { unemploymentRegistered: given['unemploymentRegistered'] === true };
    case 'general-review':
      return generalReviewInput(itemCode);
  }
}

function temporaryAssistanceInput(
  given: Readonly<Record<string, unknown>>,
  now: Date,
): ProcedureInputs['temporary-assistance'] {
  const assistanceType: AssistanceType = given['assistanceType'] === 'emergency' ? 'emergency' : 'expenditure';
  // The cap is a multiple of the regional urban 低保 standard [S P6]; the Urumqi urban standard stands in for it.
  const standard =
    parameterValueAt(STANDARD_PARAMETERS, 'minimum-living.standard.urban', toShanghaiDate(now))?.value ?? 0;
  const cap = temporaryAssistanceCap({ type: assistanceType, regionalUrbanStandard: fen(standard) }).cap;
  const major = temporaryAssistanceCap({ type: 'major-case', regionalUrbanStandard: fen(standard) }).cap;
  return {
    assistanceType,
    requestedAmountFen: positiveInteger(given['requestedAmountFen']) ?? 1,
    capFen: positiveInteger(given['capFen']) ?? cap,
    majorCaseCapFen: positiveInteger(given['majorCaseCapFen']) ?? major,
    priorAssistanceThisYearForCause: given['priorAssistanceThisYearForCause'] === true,
    streetApprovalLimitFen: positiveInteger(given['streetApprovalLimitFen']) ?? 0,
  };
}

function objectOr(value: unknown, fallback: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : fallback;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
