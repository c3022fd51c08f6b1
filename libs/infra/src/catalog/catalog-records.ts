import { CatalogAspectRecord, CatalogDomainRecord } from './catalog-domain.record.js';
import { CatalogItemRecord } from './catalog-item.record.js';
import { CatalogParameterRecord } from './catalog-parameter.record.js';
import { CatalogVersionRecord } from './catalog-version.record.js';
import { DepartmentRecord } from './department.record.js';
import { DivisionRecord } from './division.record.js';

/** The catalog's records, for RECORDS. */
export const CATALOG_RECORDS = [
  CatalogVersionRecord,
  CatalogDomainRecord,
  CatalogAspectRecord,
  DepartmentRecord,
  DivisionRecord,
  CatalogItemRecord,
  CatalogParameterRecord,
] as const;
