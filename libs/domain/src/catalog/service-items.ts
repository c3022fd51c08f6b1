import { DomainError } from '../errors/domain-error.js';
import type { DomainCode } from './domains.js';
import { CULTURE_SPORTS_ITEMS } from './items/culture-sports.js';
import { EARLY_CHILDHOOD_ITEMS } from './items/early-childhood.js';
import { EDUCATION_ITEMS } from './items/education.js';
import { ELDERLY_CARE_ITEMS } from './items/elderly-care.js';
import { EMPLOYMENT_ITEMS } from './items/employment.js';
import { HOUSING_ITEMS } from './items/housing.js';
import { MEDICAL_CARE_ITEMS } from './items/medical-care.js';
import { VETERANS_ITEMS } from './items/veterans.js';
import { VULNERABLE_GROUPS_ITEMS } from './items/vulnerable-groups.js';
import type { ProcedureId } from './procedure-id.js';
import { isApplicationItem, type ServiceItem } from './service-item.js';

/** The 97 items of the Urumqi Basic Public Service Standard (2023), in the standard's order (BPS-001 … BPS-097). */
export const SERVICE_ITEMS: readonly ServiceItem[] = [
  ...EARLY_CHILDHOOD_ITEMS,
  ...EDUCATION_ITEMS,
  ...EMPLOYMENT_ITEMS,
  ...MEDICAL_CARE_ITEMS,
  ...ELDERLY_CARE_ITEMS,
  ...HOUSING_ITEMS,
  ...VULNERABLE_GROUPS_ITEMS,
  ...VETERANS_ITEMS,
  ...CULTURE_SPORTS_ITEMS,
];

const byCode = new Map<string, ServiceItem>(SERVICE_ITEMS.map((item) => [item.code, item]));

export function findServiceItem(code: string): ServiceItem | undefined {
  return byCode.get(code);
}

/** Like `findServiceItem`, but an unknown code is an error (`CATALOG.UNKNOWN_ITEM`). */
export function getServiceItem(code: string): ServiceItem {
  const item = byCode.get(code);
  if (item === undefined) {
    throw new DomainError('CATALOG.UNKNOWN_ITEM', `no service item has the code ${code}`, { field: 'itemCode' });
  }
  return item;
}

export function itemsOfDomain(domain: DomainCode): readonly ServiceItem[] {
  return SERVICE_ITEMS.filter((item) => item.domain === domain);
}

/** The 38 items residents apply for individually (docs/domain.md §2); each names its procedure. */
export function applicationItems(): readonly ServiceItem[] {
  return SERVICE_ITEMS.filter(isApplicationItem);
}

export function itemsRunBy(procedure: ProcedureId): readonly ServiceItem[] {
  return SERVICE_ITEMS.filter((item) => item.procedure === procedure);
}
