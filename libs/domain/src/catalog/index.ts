// Public surface of the service catalog. The item builders (defineItem, text, standard, …) stay internal.
export { PROCEDURE_IDS, LEVELS, type ProcedureId, type Level } from './procedure-id.js';
export {
  EVIDENCE_TAGS,
  isConfirmed,
  type Evidence,
  type KnownEvidence,
  type Attestation,
  type Attested,
  type AttestedText,
} from './evidence.js';
export {
  DOMAIN_CODES,
  ASPECT_CODES,
  DOMAINS,
  ASPECTS,
  findDomain,
  findAspect,
  aspectsOf,
  type DomainCode,
  type AspectCode,
  type ServiceDomain,
  type ServiceAspect,
} from './domains.js';
export {
  DEPARTMENT_CODES,
  DEPARTMENTS,
  findDepartment,
  districtCounterpart,
  type DepartmentCode,
  type Department,
} from './departments.js';
export {
  DIVISION_LEVELS,
  DIVISION_KINDS,
  type Division,
  type DivisionLevel,
  type DivisionKind,
  type DivisionTreeNode,
} from './division.js';
export {
  DIVISIONS_AS_OF,
  URUMQI_CITY_CODE,
  normaliseDivisionCode,
  toTwelveDigitCode,
  findDivision,
  getDivision,
  childrenOf,
  districtOf,
  isStreetLevel,
  isDistrictLevel,
  districts,
  buildDivisionTree,
} from './divisions.js';
export { URUMQI_DIVISIONS } from './urumqi-divisions.js';
export { MATERIAL_TYPE_CODES, MATERIAL_TYPES, type MaterialTypeCode, type MaterialType } from './material-types.js';
export {
  SERVICE_MODES,
  EXPENDITURE_CATEGORIES,
  ITEM_ASPECT_EVIDENCE,
  isApplicationItem,
  type ServiceItem,
  type ServiceItemCode,
  type ServiceMode,
  type ExpenditureCategory,
  type Expenditure,
  type ServiceStandard,
  type RequiredMaterial,
  type AcceptingPoint,
} from './service-item.js';
export {
  SERVICE_ITEMS,
  findServiceItem,
  getServiceItem,
  itemsOfDomain,
  applicationItems,
  itemsRunBy,
} from './service-items.js';
export {
  PARAMETER_UNITS,
  PARAMETER_BOUNDS,
  defineParameter,
  parameterValueAt,
  parameterHistory,
  parameterSeedId,
  type StandardParameter,
  type StandardParameterDefinition,
  type ParameterUnit,
  type ParameterBound,
} from './parameters.js';
export { STANDARD_PARAMETERS, UNSEEDED_PARAMETER_KEYS } from './standard-parameters.js';
