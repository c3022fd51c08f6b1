import {
  type CalendarSet,
  DomainError,
  findDivision,
  findServiceItem,
  meansTestUnitOf,
  membersCounted,
  parsePhoneNumber,
  parseResidentIdNumber,
  type ProcedureId,
  routeApplication,
  type Routing,
  type ServiceItem,
  SOCIAL_ASSISTANCE_PROCEDURES,
  type StandardParameter,
  type ParameterUse,
  type ErrorCode,
} from '@minsheng/domain';
import { applicationWindowProblem, buildProcedureInput } from '@minsheng/workflows';
import { type FieldError } from '../problems/validation.js';
import { factsOf } from './application-facts.js';
import { checkHousehold } from './check-household.js';
import { type SubmitApplicationRequest } from './submit-application.request.js';

/** An application that passed every check, with the normalised personal data and the non-personal facts. */
export interface CheckedApplication {
  readonly request: SubmitApplicationRequest;
  readonly item: ServiceItem;
  readonly procedureId: ProcedureId;
  readonly routing: Routing;
  /** Normalised (GB 11643-1999, see docs/api.md "Applications API"). Personal data. */
  readonly applicantIdNumber: string;
  readonly memberIdNumbers: readonly string[];
  readonly phone: string;
  /** What the procedure and the reviewers' lists need, without names, numbers or addresses. */
  readonly facts: Record<string, unknown>;
}

/** Items whose check reads the family's economic data need the household and the applicant's consent. */
function isMeansTested(item: ServiceItem): boolean {
  return (
    SOCIAL_ASSISTANCE_PROCEDURES.has(item.procedure!) ||
    item.requiredMaterials.some((m) => m.material === 'economic-check-authorisation')
  );
}

/**
 * Checks a well-formed application against the domain: identity numbers (GB 11643-1999), phone, division codes,
 * the item (exists, takes applications, allowed for the portal), routing, household consistency, the item's
 * required materials, consent and the details its procedure needs. Every problem is collected, so the portal gets
 * the whole list at once.
 *
 * @throws DomainError `PORTAL.ITEM_NOT_ALLOWED` (403) or `VALIDATION.FAILED` (400) with `errors`.
 */
export function checkApplication(
  request: SubmitApplicationRequest,
  context: {
    readonly today: string;
    readonly allowedItems: ReadonlySet<string>;
    /** The published standard parameters (docs/domain.md §7), for the values an input is built from. */
    readonly parameters: readonly StandardParameter[];
    /** The published calendars, for an item with an application window (`applicationWindowOf`); else unused. */
    readonly calendars?: CalendarSet;
  },
): CheckedApplication {
  const errors: FieldError[] = [];
  const attempt = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors.push({ field: error.details.field ?? '', code: error.code, message: error.message });
      return undefined;
    }
  };
  const refuse = (field: string, code: ErrorCode, message: string) => errors.push({ field, code, message });

  const item = findServiceItem(request.itemCode);
  if (item === undefined) {
    refuse('itemCode', 'APPLICATION.UNKNOWN_ITEM', 'no item of the catalog has this code');
  } else if (item.procedure === null) {
    refuse('itemCode', 'APPLICATION.ITEM_NOT_APPLICABLE', `${item.code} is provided without an application`);
  } else if (!context.allowedItems.has(item.code)) {
    throw new DomainError('PORTAL.ITEM_NOT_ALLOWED', `this portal may not submit applications for ${item.code}`, {
      field: 'itemCode',
    });
  }

  const { applicant } = request;
  const applicantId = attempt(() =>
    parseResidentIdNumber(applicant.idNumber, { today: context.today, field: 'applicant.idNumber' }),
  );
  const phone = attempt(() => parsePhoneNumber(applicant.phone, { field: 'applicant.phone' }));
  const registration = findDivision(applicant.householdRegistrationDivision);
  if (registration === undefined) {
    refuse('applicant.householdRegistrationDivision', 'DIVISION.UNKNOWN_CODE', 'no Urumqi division has this code');
  }
  const residence = findDivision(applicant.residenceDivision);
  if (residence === undefined) {
    refuse('applicant.residenceDivision', 'DIVISION.UNKNOWN_CODE', 'no Urumqi division has this code');
  }
  const routing =
    item?.procedure && registration && residence
      ? attempt(() =>
          routeApplication(item, {
            registration: applicant.householdRegistrationDivision,
            residence: applicant.residenceDivision,
            competent: request.details?.competentDivision,
          }),
        )
      : undefined;

  const members = checkHousehold(request, applicantId?.normalised, context.today, attempt, refuse);
  // 无业重度残疾人最低生活保障 counts the applicant alone, as a one-person household (docs/domain.md §3.1).
  const meansUnit = meansTestUnitOf(request.itemCode).value;
  const counted = membersCounted(meansUnit, members, applicantId?.normalised);
  if (item?.procedure) {
    if (isMeansTested(item) && request.household === undefined) {
      refuse('household', 'APPLICATION.HOUSEHOLD_REQUIRED', `${item.code} is means-tested: describe the household`);
    }
    if (isMeansTested(item) && request.consent.economicDataCheck !== true) {
      refuse(
        'consent.economicDataCheck',
        'CONSENT.REQUIRED',
        'the check of the family economic data needs the applicant’s consent (社会救助暂行办法 art. 58)',
      );
    }
    const attached = new Set(request.materials.map((m) => m.type));
    for (const { material } of item.requiredMaterials) {
      if (!attached.has(material)) refuse('materials', 'MATERIALS.MISSING', `required material missing: ${material}`);
    }
    if (item.requiredMaterials.some((m) => m.material === 'bank-account') && request.bankAccount === undefined) {
      refuse('bankAccount', 'APPLICATION.BANK_ACCOUNT_REQUIRED', `${item.code} is paid into a bank account`);
    }
  }
  let procedureInput: { input: Record<string, unknown>; parameters: readonly ParameterUse[] } | undefined;
  if (item?.procedure && routing) {
    const built = buildProcedureInput({
      item,
      districtCode: routing.districtCode,
      details: request.details ?? {},
      parameters: context.parameters,
      today: context.today,
    });
    if (built.ok) procedureInput = { input: built.input as Record<string, unknown>, parameters: built.parameters };
    else errors.push(...built.problems);
    // 抚恤: a disability-pension transfer must come within 60日 of leaving service (docs/domain.md §3.17).
    const late = context.calendars
      ? applicationWindowProblem(item.code, request.details ?? {}, context.today, context.calendars)
      : null;
    if (late !== null) errors.push(late as FieldError);
  }

  if (errors.length > 0 || !item?.procedure || !routing || !applicantId || !phone || procedureInput === undefined) {
    throw new DomainError('VALIDATION.FAILED', 'the application is not valid', { errors });
  }
  return {
    request,
    item,
    procedureId: item.procedure,
    routing,
    applicantIdNumber: applicantId.normalised,
    memberIdNumbers: members.map((m) => m.idNumber),
    phone: phone.normalised,
    facts: factsOf(request, counted, routing, procedureInput, context.today, {
      unit: meansUnit,
      livingTogether: members.length,
    }),
  };
}
