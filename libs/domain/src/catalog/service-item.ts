import type { DepartmentCode } from './departments.js';
import type { AspectCode, DomainCode } from './domains.js';
import type { Attestation, Attested, AttestedText, Evidence } from './evidence.js';
import type { MaterialTypeCode } from './material-types.js';
import type { Level, ProcedureId } from './procedure-id.js';

/** `BPS-001` … `BPS-097`, in the standard's order. Fixed: other modules and stored cases refer to them. */
export type ServiceItemCode = `BPS-${string}`;

/**
 * How a resident obtains an item (docs/domain.md §1.2). A classification made for minsheng, not a value of the
 * standard, so it carries no evidence tag.
 */
export const SERVICE_MODES = [
  'individual-application', // APP: 申请→审核→确认/审批, a full case
  'registration', // REG: 登记/参保
  'automatic', // AUTO: follows from a status or enrolment, no separate review
  'service-on-contact', // SVC: delivered on contact, no eligibility decision
  'employer-facing', // EMP: the applicant is an organisation
  'programme', // PROG: a government programme or a policy parameter
  'general-provision', // GEN: a public good
] as const;
export type ServiceMode = (typeof SERVICE_MODES)[number];

/** 支出责任, in the reference's codes (docs/domain.md §1.3 column notes). */
export const EXPENDITURE_CATEGORIES = [
  'central-local-shared', // CS: 中央与地方共同财政事权 (国办发〔2018〕6号)
  'local', // LOC: 地方人民政府负责，中央适当补助
  'social-insurance-fund', // FUND: paid from a social insurance fund
  'city', // CITY: a local addition paid by the city or the districts
] as const;
export type ExpenditureCategory = (typeof EXPENDITURE_CATEGORIES)[number];

export interface Expenditure extends Attestation {
  /** One category, or several where the reference combines them (CS/LOC, FUND + subsidy), the main one first. */
  readonly categories: readonly [ExpenditureCategory, ...ExpenditureCategory[]];
  readonly text: string;
}

/** 服务标准: the text, and the keys of the effective-dated parameters (`standard-parameters.ts`) it refers to. */
export type ServiceStandard = AttestedText & { readonly parameterKeys: readonly string[] };

export interface RequiredMaterial extends Attestation {
  readonly material: MaterialTypeCode;
}

/** Where an application is handed in: an administrative level, or an institution such as a school. */
export type AcceptingPoint = Level | 'institution';

export interface ServiceItem {
  readonly code: ServiceItemCode;
  /** The official name, exactly as the standard spells it (checked against the seed text by a test). */
  readonly nameZh: string;
  readonly nameEn: string;
  readonly domain: DomainCode;
  /** The seed lists items per domain only; the aspect is inferred (see `ITEM_ASPECT_EVIDENCE`). */
  readonly aspect: AspectCode;
  readonly mode: ServiceMode;
  readonly secondaryModes: readonly ServiceMode[];
  /** Why the mode was chosen where the reference hesitates; null when there is nothing to add. */
  readonly modeNote: string | null;
  /** 服务对象 */
  readonly serviceObject: AttestedText;
  /** 服务内容 */
  readonly content: AttestedText;
  /** 服务标准 */
  readonly standard: ServiceStandard;
  /** 支出责任 */
  readonly expenditure: Expenditure;
  /** 牵头负责单位 */
  readonly leadDepartment: Attested<DepartmentCode>;
  readonly cooperatingDepartments: readonly DepartmentCode[];
  /** The procedure that handles applications, or null for an item nobody applies for. */
  readonly procedure: ProcedureId | null;
  readonly requiredMaterials: readonly RequiredMaterial[];
  readonly acceptingLevel: Attested<AcceptingPoint> | null;
  readonly approvingLevel: Attested<Level> | null;
}

/** The item-to-aspect mapping is inferred from the national structure (docs/domain.md §1.1, point 1). */
export const ITEM_ASPECT_EVIDENCE: Attestation = { evidence: 'G', source: 'reference §1.1' };

/** An item a resident applies for individually, as its main or as a secondary mode (docs/domain.md §2). */
export function isApplicationItem(item: Pick<ServiceItem, 'mode' | 'secondaryModes'>): boolean {
  return item.mode === 'individual-application' || item.secondaryModes.includes('individual-application');
}

type Defaulted =
  'secondaryModes' | 'modeNote' | 'cooperatingDepartments' | 'requiredMaterials' | 'acceptingLevel' | 'approvingLevel';
export type ServiceItemDefinition = Omit<ServiceItem, Defaulted> & Partial<Pick<ServiceItem, Defaulted>>;

/** An item literal with the fields an item without an application usually leaves empty filled in. */
export function defineItem(definition: ServiceItemDefinition): ServiceItem {
  return {
    secondaryModes: [],
    modeNote: null,
    cooperatingDepartments: [],
    requiredMaterials: [],
    acceptingLevel: null,
    approvingLevel: null,
    ...definition,
  };
}

export function standard(value: AttestedText, parameterKeys: readonly string[] = []): ServiceStandard {
  return { ...value, parameterKeys };
}

export function expenditure(
  categories: readonly [ExpenditureCategory, ...ExpenditureCategory[]],
  text: string,
  evidence: Evidence,
  source: string | null = null,
): Expenditure {
  return { categories, text, evidence, source };
}

export function material(code: MaterialTypeCode, evidence: Evidence, source: string | null = null): RequiredMaterial {
  return { material: code, evidence, source };
}
