import { districtCounterpart, findDepartment, type DepartmentCode } from '../catalog/departments.js';
import type { Division } from '../catalog/division.js';
import { districtOf, findDivision, URUMQI_CITY_CODE } from '../catalog/divisions.js';
import type { ServiceItem } from '../catalog/service-item.js';
import { DomainError } from '../errors/domain-error.js';
import { ROUTING_BASIS_FIELDS, routingRuleOf, type OfficePlace, type RoutingBasis } from './routing-rules.js';

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
  /** The rule of the item's regulation the offices were found by (routing-rules.ts `ITEM_ROUTING_BASES`). */
  readonly basis: RoutingBasis;
  readonly accepting: RoutedOffice;
  readonly approving: RoutedOffice;
  /** The district or county of the basis's division, whose settings the case takes (routing-rules.ts). */
  readonly districtCode: string;
}

/**
 * The divisions an application gives (6-, 9- or 12-digit codes): its household registration, where the applicant
 * lives, and the division it names for an item routed by the place of an organ (case-handling organ, school,
 * insurer), in the request fields of `ROUTING_BASIS_FIELDS`.
 */
export interface ApplicationDivisions {
  readonly registration: string;
  readonly residence: string;
  readonly competent?: string | undefined;
}

/**
 * Routes an application: the item's lead department (牵头负责单位), the office that accepts it and the office
 * that approves it, found from the division the item's routing basis reads (registration, residence, or the division
 * the application names for a case-handling organ, a school or an insurer) by the rule tables of
 * `routing-rules.ts`. Pure.
 *
 * @throws DomainError `ROUTING.*`, its `field` the request field of the division that could not be routed.
 */
export function routeApplication(item: ServiceItem, divisions: ApplicationDivisions): Routing {
  if (item.procedure === null || item.acceptingLevel === null || item.approvingLevel === null) {
    throw new DomainError(ROUTING_ERRORS.notApplicationItem, `${item.code} does not take applications`, {
      field: 'itemCode',
    });
  }
  const rule = routingRuleOf(item)!;
  const field = ROUTING_BASIS_FIELDS[rule.basis];
  const code =
    rule.basis === 'registration'
      ? divisions.registration
      : rule.basis === 'residence'
        ? divisions.residence
        : divisions.competent;
  if (code === undefined) {
    throw new DomainError(
      ROUTING_ERRORS.competentDivisionRequired,
      `${item.code} goes to the office where its ${rule.basis} is (${rule.source ?? 'docs/domain.md §3'}): name that division`,
      { field },
    );
  }
  const at = findDivision(code);
  const district = districtOf(code);
  if (at === undefined || district === undefined) {
    throw new DomainError(ROUTING_ERRORS.unknownDivision, 'not an Urumqi district or street-level division', {
      field,
    });
  }
  const department = item.leadDepartment.value;
  const office = (place: OfficePlace): RoutedOffice => {
    switch (place) {
      case 'street':
        if (at.level !== 'street') {
          throw new DomainError(
            ROUTING_ERRORS.streetRequired,
            `${item.code} is accepted by the street office or township of the ${rule.basis}: give a street-level division`,
            { field },
          );
        }
        return streetOffice(at);
      case 'district':
        return {
          level: 'district',
          divisionCode: district.code,
          divisionName: district.name,
          officeName: districtCounterpart(department, district.code),
        };
      case 'city':
        return cityOffice(department);
    }
  };
  return {
    leadDepartment: department,
    basis: rule.basis,
    accepting: office(rule.accepting),
    approving: office(rule.approving),
    districtCode: district.code,
  };
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
