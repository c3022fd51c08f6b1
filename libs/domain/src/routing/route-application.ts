import { districtCounterpart, findDepartment, type DepartmentCode } from '../catalog/departments.js';
import type { Division } from '../catalog/division.js';
import { districtOf, findDivision, URUMQI_CITY_CODE } from '../catalog/divisions.js';
import type { ServiceItem } from '../catalog/service-item.js';
import { DomainError } from '../errors/domain-error.js';
import {
  ACCEPTING_OFFICE_BY_POINT,
  APPROVING_OFFICE_BY_LEVEL,
  ITEM_ROUTING_OVERRIDES,
  type OfficeSource,
} from './routing-rules.js';

/** Stable error codes of routing; `field` names the request input that could not be routed. */
export const ROUTING_ERRORS = {
  notApplicationItem: 'ROUTING.NOT_AN_APPLICATION_ITEM',
  unknownDivision: 'ROUTING.UNKNOWN_DIVISION',
  streetRequired: 'ROUTING.STREET_REQUIRED',
  competentDivisionRequired: 'ROUTING.COMPETENT_DIVISION_REQUIRED',
} as const;

/** An office a case is routed to: the department, and the division whose office of that department acts. */
export interface RoutedOffice {
  readonly level: 'street' | 'district' | 'city';
  /** Short statistical code: 9 digits for a street, 6 for a district or the city. */
  readonly divisionCode: string;
  readonly divisionName: string;
  /** The acting office's name, e.g. `燕儿窝街道` or `天山区民政局`. */
  readonly officeName: string;
}

export interface Routing {
  readonly leadDepartment: DepartmentCode;
  readonly accepting: RoutedOffice;
  readonly approving: RoutedOffice;
  /**
   * The district or county whose settings the case takes (routing-rules.ts): that of the named competent division
   * for an item routed there, otherwise that of the household registration.
   */
  readonly districtCode: string;
}

/** The division an application names as competent for its matter, and where in the request it is. */
export interface CompetentDivision {
  readonly code: string | undefined;
  readonly field: string;
}

/**
 * Routes an application: the item's lead department (牵头负责单位), the office that accepts it and the office
 * that approves it, both found from the applicant's household-registration division by the rule tables of
 * `routing-rules.ts`. Pure.
 *
 * @param registrationDivisionCode 6-, 9- or 12-digit code of the household registration's division.
 * @param field request path of that code, copied into error details.
 * @throws DomainError `ROUTING.*`.
 */
export function routeApplication(
  item: ServiceItem,
  registrationDivisionCode: string,
  field = 'applicant.householdRegistrationDivision',
  competent: CompetentDivision = { code: undefined, field: 'details.competentDivision' },
): Routing {
  if (item.procedure === null || item.acceptingLevel === null || item.approvingLevel === null) {
    throw new DomainError(ROUTING_ERRORS.notApplicationItem, `${item.code} does not take applications`, {
      field: 'itemCode',
    });
  }
  const registration = findDivision(registrationDivisionCode);
  const district = districtOf(registrationDivisionCode);
  if (registration === undefined || district === undefined) {
    throw new DomainError(ROUTING_ERRORS.unknownDivision, 'not an Urumqi district or street-level division', {
      field,
    });
  }
  const department = item.leadDepartment.value;
  const override = ITEM_ROUTING_OVERRIDES[item.code];
  const acceptingSource = override?.accepting ?? ACCEPTING_OFFICE_BY_POINT[item.acceptingLevel.value];
  const approvingSource = override?.approving ?? APPROVING_OFFICE_BY_LEVEL[item.approvingLevel.value];
  const byCompetence = acceptingSource === 'competent-district' || approvingSource === 'competent-district';
  const competentDistrict = byCompetence ? competentDistrictOf(item, competent) : undefined;
  const districtOffice = (at: Division): RoutedOffice => ({
    level: 'district',
    divisionCode: at.code,
    divisionName: at.name,
    officeName: districtCounterpart(department, at.code),
  });
  const office = (source: OfficeSource): RoutedOffice => {
    switch (source) {
      case 'registration-street':
        if (registration.level !== 'street') {
          throw new DomainError(
            ROUTING_ERRORS.streetRequired,
            `${item.code} is accepted by the street office or township of the household registration: give a street-level division`,
            { field },
          );
        }
        return streetOffice(registration);
      case 'registration-district':
        return districtOffice(district);
      case 'competent-district':
        return districtOffice(competentDistrict!);
      case 'city':
        return cityOffice(department);
    }
  };
  return {
    leadDepartment: department,
    accepting: office(acceptingSource),
    approving: office(approvingSource),
    districtCode: (competentDistrict ?? district).code,
  };
}

/** The district of the division an application names as competent; required for an item routed by competence. */
function competentDistrictOf(item: ServiceItem, competent: CompetentDivision): Division {
  if (competent.code === undefined) {
    throw new DomainError(
      ROUTING_ERRORS.competentDivisionRequired,
      `${item.code} goes to the office where its matter belongs (${ITEM_ROUTING_OVERRIDES[item.code]?.reason ?? ''}): name that division`,
      { field: competent.field },
    );
  }
  const district = districtOf(competent.code);
  if (district === undefined) {
    throw new DomainError(ROUTING_ERRORS.unknownDivision, 'not an Urumqi district or street-level division', {
      field: competent.field,
    });
  }
  return district;
}

function streetOffice(street: Division): RoutedOffice {
  return { level: 'street', divisionCode: street.code, divisionName: street.name, officeName: street.name };
}

function cityOffice(department: DepartmentCode): RoutedOffice {
  const city = findDivision(URUMQI_CITY_CODE)!;
  return {
    level: 'city',
    divisionCode: city.code,
    divisionName: city.name,
    officeName: `乌鲁木齐${findDepartment(department)?.nameZh ?? department}`,
  };
}
