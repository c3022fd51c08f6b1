import {
  DISTRICT_PROCEDURE_SETTINGS,
  DomainError,
  ITEM_ROUTING_BASES,
  type IsoDate,
  type LegalAidCompetenceGround,
  type ParameterUse,
  type ProcedureId,
  ROUTING_BASIS_FIELDS,
  type ServiceItem,
  type StandardParameter,
  temporaryAssistanceCaps,
} from '@minsheng/domain';
import { APPLICATION_WINDOWS } from './general-review/configurations.js';
import { generalReviewInput } from './general-review/general-review.machine.js';
import { startCase, type ProcedureInputs } from './procedure-registry.js';

/** What an application may say for its procedure to start (the `details` of POST /v1/applications). */
export interface ApplicationDetails {
  readonly assistanceType?: 'emergency' | 'expenditure';
  readonly requestedAmountFen?: number;
  readonly priorAssistanceThisYearForCause?: boolean;
  readonly subsidies?: readonly ('living' | 'nursing')[];
  readonly urgent?: boolean;
  /**
   * The division of the organ an item routed by it belongs to (its routing basis, routing-rules.ts): the competent
   * legal aid agency (法律援助法 art. 38), the school, the social insurance handling office.
   */
  readonly competentDivision?: string;
  /** Legal aid: the ground of 法律援助法 art. 38 the competent division rests on. */
  readonly competenceGround?: LegalAidCompetenceGround;
  readonly priorityHousehold?: boolean;
  readonly unemploymentRegistered?: boolean;
  /** 抚恤 (BPS-082): the day a disabled veteran left active service, which opens the 60日 window (L9 art. 30). */
  readonly leftServiceOn?: string;
}

/** The details each procedure reads; any other detail is refused. */
export const PROCEDURE_DETAIL_FIELDS: Readonly<Record<ProcedureId, readonly (keyof ApplicationDetails)[]>> = {
  'minimum-living': [],
  'extreme-poverty': [],
  'temporary-assistance': ['assistanceType', 'requestedAmountFen', 'priorAssistanceThisYearForCause'],
  'disability-subsidies': ['subsidies'],
  'legal-aid': ['urgent', 'competentDivision', 'competenceGround'],
  'public-rental-housing': ['priorityHousehold'],
  'unemployment-benefit': ['unemploymentRegistered'],
  'general-review': [],
};

export interface ProcedureInputProblem {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export type BuiltProcedureInput =
  | {
      readonly ok: true;
      readonly input: ProcedureInputs[ProcedureId];
      /** The published parameters the input was built from (the temporary-assistance caps), with provenance. */
      readonly parameters: readonly ParameterUse[];
    }
  | { readonly ok: false; readonly problems: readonly ProcedureInputProblem[] };

/**
 * The one builder of a procedure's input (docs/procedures.md "Adding or changing a procedure"): intake calls it once
 * and stores the result with the case; the engine starts the machine from what was stored and never builds it
 * again, so the gateway and the worker cannot disagree. District settings (delegated 低保 approval, legal-aid day
 * counting, the street's temporary-assistance limit) are those of `districtCode` on the day of application, and the
 * temporary-assistance caps the published values in force on that day (docs/domain.md §7.4). The input is proved by
 * starting the pure machine once: a case is never accepted that the engine could not start.
 */
export function buildProcedureInput(request: {
  readonly item: Pick<ServiceItem, 'code' | 'procedure'>;
  readonly districtCode: string;
  readonly details: ApplicationDetails;
  readonly parameters: readonly StandardParameter[];
  readonly today: IsoDate;
}): BuiltProcedureInput {
  const procedure = request.item.procedure;
  if (procedure === null) {
    return {
      ok: false,
      problems: [{ field: 'itemCode', code: 'APPLICATION.ITEM_NOT_APPLICABLE', message: 'the item has no procedure' }],
    };
  }
  const { details } = request;
  const problems: ProcedureInputProblem[] = [];
  // An item routed by the place of an organ names its division, whatever its procedure (routing-rules.ts).
  const basis = ITEM_ROUTING_BASES[request.item.code]?.basis;
  const namesDivision = basis !== undefined && ROUTING_BASIS_FIELDS[basis] === 'details.competentDivision';
  // An item with an application window states the day it opens (general-review/configurations.ts).
  const window = APPLICATION_WINDOWS[request.item.code];
  const allowed: readonly string[] = [
    ...PROCEDURE_DETAIL_FIELDS[procedure],
    ...(namesDivision ? ['competentDivision'] : []),
    ...(window === undefined ? [] : [window.detail]),
  ];
  for (const key of Object.keys(details)) {
    if (!allowed.includes(key)) {
      problems.push({
        field: `details.${key}`,
        code: 'APPLICATION.DETAIL_NOT_APPLICABLE',
        message: `not used by the ${procedure} procedure`,
      });
    }
  }
  const need = <K extends keyof ApplicationDetails>(key: K): ApplicationDetails[K] => {
    const value = details[key];
    if (value === undefined) {
      problems.push({
        field: `details.${key}`,
        code: 'APPLICATION.DETAIL_REQUIRED',
        message: `${procedure} needs ${key}`,
      });
    }
    return value;
  };
  let input: ProcedureInputs[ProcedureId] | undefined;
  let parameters: readonly ParameterUse[] = [];
  switch (procedure) {
    case 'minimum-living':
      input = {
        approvalDelegatedToStreet: DISTRICT_PROCEDURE_SETTINGS.minimumLivingApprovalDelegated.has(request.districtCode),
      };
      break;
    case 'extreme-poverty':
      input = {};
      break;
    case 'temporary-assistance': {
      const type = need('assistanceType');
      const requested = need('requestedAmountFen');
      if (type === undefined || requested === undefined) break;
      try {
        const caps = temporaryAssistanceCaps({ parameters: request.parameters, type, on: request.today });
        parameters = caps.parameters;
        input = {
          assistanceType: type,
          requestedAmountFen: requested,
          capFen: caps.capFen,
          majorCaseCapFen: caps.majorCaseCapFen,
          priorAssistanceThisYearForCause: details.priorAssistanceThisYearForCause ?? false,
          streetApprovalLimitFen: DISTRICT_PROCEDURE_SETTINGS.temporaryAssistanceStreetApprovalLimitFen,
        };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problems.push({ field: 'details.assistanceType', code: error.code, message: error.message });
      }
      break;
    }
    case 'disability-subsidies': {
      const subsidies = need('subsidies');
      if (subsidies !== undefined) input = { subsidies: [...new Set(subsidies)] };
      break;
    }
    case 'legal-aid': {
      // The competent division routes the case (routing-rules.ts); its ground is kept with the facts.
      need('competentDivision');
      need('competenceGround');
      const urgent = need('urgent');
      if (urgent !== undefined) input = { urgent, dayCounting: DISTRICT_PROCEDURE_SETTINGS.legalAidDayCounting };
      break;
    }
    case 'public-rental-housing':
      input = { priorityHousehold: details.priorityHousehold ?? false };
      break;
    case 'unemployment-benefit': {
      const registered = need('unemploymentRegistered');
      if (registered !== undefined) input = { unemploymentRegistered: registered };
      break;
    }
    case 'general-review':
      try {
        input = generalReviewInput(request.item.code);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problems.push({ field: 'itemCode', code: error.code, message: error.message });
      }
      break;
  }
  if (problems.length > 0 || input === undefined) return { ok: false, problems };
  const refused = startRefusal(procedure, input);
  if (refused !== null) {
    const field = `details.${String(refused.details.field ?? '')}`.replace(/\.$/, '');
    return { ok: false, problems: [{ field, code: refused.code, message: refused.message }] };
  }
  return { ok: true, input, parameters };
}

/** Verdicts of `startCase` by procedure and input; bounded, as inputs carry amounts chosen by the portal. */
const startVerdicts = new Map<string, DomainError | null>();
const MAX_START_VERDICTS = 1_000;

/**
 * Whether the procedure's machine refuses to start on this input. The machine is pure (docs/architecture.md invariant
 * 5), so its verdict on an input never changes: it is remembered instead of starting a machine on every application.
 */
function startRefusal(procedure: ProcedureId, input: ProcedureInputs[ProcedureId]): DomainError | null {
  const key = `${procedure}\n${JSON.stringify(input)}`;
  let verdict = startVerdicts.get(key);
  if (verdict === undefined) {
    try {
      startCase(procedure, input as never);
      verdict = null;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      verdict = error;
    }
    if (startVerdicts.size >= MAX_START_VERDICTS) startVerdicts.clear();
    startVerdicts.set(key, verdict);
  }
  return verdict;
}

/** The case's facts key under which intake stores the built input, and the engine reads it. */
export const STORED_PROCEDURE_INPUT = 'procedureInput';

/**
 * The input intake stored with the case (`facts.procedureInput`). A case without one cannot be started: the engine
 * fails the command permanently (`CASE.PROCEDURE_INPUT_MISSING`) instead of guessing defaults.
 */
export function storedProcedureInput(
  caseId: string,
  facts: Readonly<Record<string, unknown>>,
): ProcedureInputs[ProcedureId] {
  const stored = facts[STORED_PROCEDURE_INPUT];
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    throw new DomainError(
      'CASE.PROCEDURE_INPUT_MISSING',
      `case ${caseId} has no stored procedure input (facts.${STORED_PROCEDURE_INPUT}); intake writes it`,
      { field: `facts.${STORED_PROCEDURE_INPUT}`, caseId },
    );
  }
  return stored as ProcedureInputs[ProcedureId];
}
