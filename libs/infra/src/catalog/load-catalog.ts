import { createHash } from 'node:crypto';
import { type DataSource } from 'typeorm';
import {
  ASPECTS,
  DEPARTMENTS,
  DIVISIONS_AS_OF,
  DOMAINS,
  isApplicationItem,
  SERVICE_ITEMS,
  parameterSeedId,
  STANDARD_PARAMETERS,
  URUMQI_DIVISIONS,
} from '@minsheng/domain';
import { canonicalJson } from '../case-log/canonical-json.js';
import { type Queryable } from '../case-log/case-event-chain.js';
import { placeParameterValue } from './parameter-timeline.js';

export interface CatalogLoadResult {
  /** Content hash of the code catalog (the API's ETag is derived from what it serves, which includes it). */
  readonly version: string;
  /** False when this version was already the loaded one: nothing was written. */
  readonly changed: boolean;
  readonly counts: Readonly<Record<string, number>>;
  /** Code parameter values added by this load (an operator's value for the same key and start is never replaced). */
  readonly parametersAdded: number;
}

/** The catalog as it is loaded, and the hash that versions it. */
function catalogContent() {
  return {
    divisionsAsOf: DIVISIONS_AS_OF,
    domains: DOMAINS,
    aspects: ASPECTS,
    departments: DEPARTMENTS,
    divisions: URUMQI_DIVISIONS,
    items: SERVICE_ITEMS,
    parameters: STANDARD_PARAMETERS,
  };
}

export function catalogVersion(): string {
  return createHash('sha256').update(canonicalJson(catalogContent())).digest('hex').slice(0, 32);
}

const LOADER_LOCK = 'catalog-loader';
const LOADER = 'system:catalog-loader';

/**
 * Loads the code catalog (`libs/domain`) into PostgreSQL so that the API serves it and other tables can refer to
 * items, departments and divisions by foreign key. Idempotent and versioned: an unchanged catalog is a no-op;
 * a changed one upserts every row by code (rows are never deleted: stored cases keep their codes) and adds the
 * code's parameter values that are new, leaving every value an operator published in force.
 */
export async function loadCatalog(dataSource: DataSource): Promise<CatalogLoadResult> {
  const version = catalogVersion();
  const counts = {
    domains: DOMAINS.length,
    aspects: ASPECTS.length,
    items: SERVICE_ITEMS.length,
    departments: DEPARTMENTS.length,
    divisions: URUMQI_DIVISIONS.length,
    parameters: STANDARD_PARAMETERS.length,
  };
  return dataSource.transaction(async (tx) => {
    // Gateways, workers and test files may start together: one loader at a time, the others then see the version.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [LOADER_LOCK]);
    const [latest] = (await tx.query(
      `SELECT version FROM catalog_versions ORDER BY loaded_at DESC, version LIMIT 1`,
    )) as { version: string }[];
    if (latest?.version === version) return { version, changed: false, counts, parametersAdded: 0 };

    await upsert(
      tx,
      `INSERT INTO catalog_domains (code, position, name_zh, name_en, stated_item_count, stated_aspect_count)
       SELECT code, position, name_zh, name_en, stated_item_count, stated_aspect_count
         FROM jsonb_to_recordset($1::jsonb) AS x(code text, position int, name_zh text, name_en text,
              stated_item_count int, stated_aspect_count int)
       ON CONFLICT (code) DO UPDATE SET position = EXCLUDED.position, name_zh = EXCLUDED.name_zh,
         name_en = EXCLUDED.name_en, stated_item_count = EXCLUDED.stated_item_count,
         stated_aspect_count = EXCLUDED.stated_aspect_count`,
      DOMAINS.map((d, position) => ({
        code: d.code,
        position,
        name_zh: d.nameZh,
        name_en: d.nameEn,
        stated_item_count: d.statedItemCount,
        stated_aspect_count: d.statedAspectCount,
      })),
    );
    await upsert(
      tx,
      `INSERT INTO catalog_aspects (code, position, domain_code, name_zh, name_en)
       SELECT code, position, domain_code, name_zh, name_en
         FROM jsonb_to_recordset($1::jsonb) AS x(code text, position int, domain_code text, name_zh text, name_en text)
       ON CONFLICT (code) DO UPDATE SET position = EXCLUDED.position, domain_code = EXCLUDED.domain_code,
         name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en`,
      ASPECTS.map((a, position) => ({
        code: a.code,
        position,
        domain_code: a.domain,
        name_zh: a.nameZh,
        name_en: a.nameEn,
      })),
    );
    await upsert(
      tx,
      `INSERT INTO departments (code, position, name_zh, name_en, district_name_pattern, details)
       SELECT code, position, name_zh, name_en, district_name_pattern, details
         FROM jsonb_to_recordset($1::jsonb) AS x(code text, position int, name_zh text, name_en text,
              district_name_pattern text, details jsonb)
       ON CONFLICT (code) DO UPDATE SET position = EXCLUDED.position, name_zh = EXCLUDED.name_zh,
         name_en = EXCLUDED.name_en, district_name_pattern = EXCLUDED.district_name_pattern,
         details = EXCLUDED.details`,
      DEPARTMENTS.map((d, position) => ({
        code: d.code,
        position,
        name_zh: d.nameZh,
        name_en: d.nameEn,
        district_name_pattern: d.districtNamePattern,
        details: { districtNameEvidence: d.districtNameEvidence },
      })),
    );
    await upsert(
      tx,
      `INSERT INTO divisions (code, parent_code, name, level, kind)
       SELECT code, parent_code, name, level, kind
         FROM jsonb_to_recordset($1::jsonb) AS x(code text, parent_code text, name text, level text, kind text)
       ON CONFLICT (code) DO UPDATE SET parent_code = EXCLUDED.parent_code, name = EXCLUDED.name,
         level = EXCLUDED.level, kind = EXCLUDED.kind`,
      URUMQI_DIVISIONS.map((d) => ({
        code: d.code,
        parent_code: d.parentCode,
        name: d.name,
        level: d.level,
        kind: d.kind,
      })),
    );
    await upsert(
      tx,
      `INSERT INTO catalog_items (code, position, name_zh, name_en, domain_code, aspect_code, mode, secondary_modes,
         procedure_id, lead_department_code, is_application, details)
       SELECT code, position, name_zh, name_en, domain_code, aspect_code, mode, secondary_modes,
              procedure_id, lead_department_code, is_application, details
         FROM jsonb_to_recordset($1::jsonb) AS x(code text, position int, name_zh text, name_en text,
              domain_code text, aspect_code text, mode text, secondary_modes text[], procedure_id text,
              lead_department_code text, is_application boolean, details jsonb)
       ON CONFLICT (code) DO UPDATE SET position = EXCLUDED.position, name_zh = EXCLUDED.name_zh,
         name_en = EXCLUDED.name_en, domain_code = EXCLUDED.domain_code, aspect_code = EXCLUDED.aspect_code,
         mode = EXCLUDED.mode, secondary_modes = EXCLUDED.secondary_modes, procedure_id = EXCLUDED.procedure_id,
         lead_department_code = EXCLUDED.lead_department_code, is_application = EXCLUDED.is_application,
         details = EXCLUDED.details`,
      SERVICE_ITEMS.map((item, position) => ({
        code: item.code,
        position,
        name_zh: item.nameZh,
        name_en: item.nameEn,
        domain_code: item.domain,
        aspect_code: item.aspect,
        mode: item.mode,
        secondary_modes: item.secondaryModes,
        procedure_id: item.procedure,
        lead_department_code: item.leadDepartment.value,
        is_application: isApplicationItem(item),
        details: item,
      })),
    );

    const parametersAdded = await addNewCodeParameters(tx);
    await tx.query(
      `INSERT INTO catalog_versions (version, counts) VALUES ($1, $2)
       ON CONFLICT (version) DO UPDATE SET loaded_at = now(), counts = EXCLUDED.counts`,
      [version, JSON.stringify(counts)],
    );
    return { version, changed: true, counts, parametersAdded };
  });
}

async function upsert(tx: Queryable, sql: string, rows: object[]) {
  await tx.query(sql, [JSON.stringify(rows)]);
}

/**
 * Adds each code parameter value not loaded before (identified by key and start), oldest first so the timeline
 * builds up as the code states it. A value whose key already has a live operator value with the same start is
 * skipped: a published correction outranks the code until the code changes that start.
 */
async function addNewCodeParameters(tx: Queryable) {
  const ordered = [...STANDARD_PARAMETERS].sort(
    (a, b) => a.key.localeCompare(b.key) || (a.validFrom ?? '').localeCompare(b.validFrom ?? ''),
  );
  let added = 0;
  for (const parameter of ordered) {
    const seedId = parameterSeedId(parameter);
    const [taken] = (await tx.query(
      `SELECT 1 FROM catalog_parameters
        WHERE seed_id = $1
           OR (key = $2 AND origin = 'operator' AND superseded_at IS NULL
               AND valid_from IS NOT DISTINCT FROM $3::date)`,
      [seedId, parameter.key, parameter.validFrom],
    )) as unknown[];
    if (taken !== undefined) continue;
    await placeParameterValue(tx, {
      key: parameter.key,
      itemCode: parameter.itemCode,
      value: parameter.value,
      unit: parameter.unit,
      bound: parameter.bound,
      validFrom: parameter.validFrom,
      validFromPrecision: parameter.validFromPrecision,
      validTo: parameter.validTo,
      source: parameter.source,
      evidence: parameter.evidence,
      note: parameter.note,
      reason: null,
      origin: 'catalog',
      seedId,
      publishedBy: LOADER,
    });
    added += 1;
  }
  return added;
}
