import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  DIVISIONS_AS_OF,
  DomainError,
  ITEM_ROUTING_BASES,
  normaliseDivisionCode,
  ROUTING_BASIS_FIELDS,
} from '@minsheng/domain';
import { decodeItemCursor, encodeItemCursor, type ListItemsQuery } from './catalog.request.js';
import { groupByKey, PARAMETER_COLUMNS, type ParameterKeyView, type ParameterRow } from './parameter-view.js';

interface DivisionRow {
  code: string;
  parent_code: string;
  name: string;
  level: string;
  kind: string;
  child_count: number;
}

export interface DivisionNode {
  code: string;
  name: string;
  level: string;
  kind: string;
  parentCode: string;
  children: DivisionNode[];
}

const ITEM_SUMMARY = `code, name_zh AS "nameZh", name_en AS "nameEn", domain_code AS domain, aspect_code AS aspect, mode,
  secondary_modes AS "secondaryModes", procedure_id AS procedure, lead_department_code AS "leadDepartment",
  is_application AS "isApplication"`;

// $1 domain, $2 aspect, $3 department, $4 mode (main or secondary), $5 application only, $6 text in either name.
const ITEM_FILTER = `($1::text IS NULL OR domain_code = $1)
  AND ($2::text IS NULL OR aspect_code = $2)
  AND ($3::text IS NULL OR lead_department_code = $3)
  AND ($4::text IS NULL OR mode = $4 OR $4 = ANY (secondary_modes))
  AND ($5::boolean IS NOT TRUE OR is_application)
  AND ($6::text IS NULL OR strpos(lower(name_zh), lower($6)) > 0 OR strpos(lower(name_en), lower($6)) > 0)`;

/**
 * Reads the catalog as loaded into PostgreSQL (not the code constants), so a published parameter or a reloaded
 * catalog shows without a deploy. 97 items and 139 divisions: every query is a small scan.
 */
@Injectable()
export class CatalogReader {
  constructor(private readonly dataSource: DataSource) {}

  async version(): Promise<string | null> {
    const [row] = (await this.dataSource.query(
      `SELECT version FROM catalog_versions ORDER BY loaded_at DESC, version LIMIT 1`,
    )) as { version: string }[];
    return row?.version ?? null;
  }

  async domains() {
    const domains = (await this.dataSource.query(
      `SELECT d.code, d.name_zh AS "nameZh", d.name_en AS "nameEn", d.stated_item_count AS "statedItemCount",
              d.stated_aspect_count AS "statedAspectCount",
              (SELECT count(*)::int FROM catalog_items i WHERE i.domain_code = d.code) AS "itemCount"
         FROM catalog_domains d ORDER BY d.position`,
    )) as { code: string }[];
    const aspects = (await this.dataSource.query(
      `SELECT a.code, a.domain_code AS domain, a.name_zh AS "nameZh", a.name_en AS "nameEn",
              count(i.code)::int AS "itemCount"
         FROM catalog_aspects a LEFT JOIN catalog_items i ON i.aspect_code = a.code
        GROUP BY a.code ORDER BY a.position`,
    )) as { code: string; domain: string }[];
    return domains.map((domain) => ({
      ...domain,
      aspects: aspects.filter((aspect) => aspect.domain === domain.code).map(({ domain: _d, ...aspect }) => aspect),
    }));
  }

  async items(query: ListItemsQuery) {
    const filter = [
      query.domain ?? null,
      query.aspect ?? null,
      query.department ?? null,
      query.mode ?? null,
      query.applicationOnly ?? null,
      query.q ?? null,
    ];
    const after = query.cursor === undefined ? null : decodeItemCursor(query.cursor);
    const rows = (await this.dataSource.query(
      `SELECT ${ITEM_SUMMARY} FROM catalog_items WHERE ${ITEM_FILTER} AND ($7::text IS NULL OR code > $7)
        ORDER BY code LIMIT $8`,
      [...filter, after, query.limit + 1],
    )) as { code: string }[];
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM catalog_items WHERE ${ITEM_FILTER}`,
      filter,
    )) as [{ total: number }];
    const page = rows.slice(0, query.limit);
    const more = rows.length > query.limit;
    return { items: page, total, nextCursor: more ? encodeItemCursor(page[page.length - 1]!.code) : null };
  }

  async item(code: string) {
    const [row] = (await this.dataSource.query(
      `SELECT details, is_application AS "isApplication" FROM catalog_items WHERE code = $1`,
      [code],
    )) as { details: Record<string, unknown>; isApplication: boolean }[];
    if (row === undefined) {
      throw new DomainError('CATALOG.ITEM_NOT_FOUND', `no service item has the code ${code}`, { field: 'code' });
    }
    return { ...row.details, isApplication: row.isApplication, routing: routingOf(code) };
  }

  async departments() {
    return this.dataSource.query(
      `SELECT d.code, d.name_zh AS "nameZh", d.name_en AS "nameEn", d.district_name_pattern AS "districtNamePattern",
              d.details -> 'districtNameEvidence' AS "districtNameEvidence",
              (SELECT count(*)::int FROM catalog_items i WHERE i.lead_department_code = d.code) AS "leadItemCount"
         FROM departments d ORDER BY d.position`,
    ) as Promise<object[]>;
  }

  /** The whole tree, from the city down. */
  async divisionTree(): Promise<{ asOf: string; items: DivisionNode[] }> {
    const rows = await this.divisionRows(`TRUE`, []);
    const nodes = new Map<string, DivisionNode>(rows.map((row) => [row.code, toNode(row)]));
    const roots: DivisionNode[] = [];
    for (const node of nodes.values()) {
      const parent = nodes.get(node.parentCode);
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    return { asOf: DIVISIONS_AS_OF, items: roots };
  }

  /** The divisions directly below one code (6, 9 or 12 digits), with how many units each has below it. */
  async divisionChildren(code: string) {
    const short = normaliseDivisionCode(code);
    const [parent] = await this.divisionRows(`d.code = $1`, [short]);
    if (parent === undefined) {
      throw new DomainError('CATALOG.DIVISION_NOT_FOUND', `no Urumqi division has the code ${code}`, {
        field: 'parent',
      });
    }
    const children = await this.divisionRows(`d.parent_code = $1`, [short]);
    return {
      asOf: DIVISIONS_AS_OF,
      parent: withoutChildren(parent),
      items: children.map((row) => ({ ...withoutChildren(row), childCount: row.child_count })),
    };
  }

  async parameters(filter: { key?: string; itemCode?: string }, at: string): Promise<ParameterKeyView[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${PARAMETER_COLUMNS} FROM catalog_parameters
        WHERE ($1::text IS NULL OR key = $1) AND ($2::text IS NULL OR item_code = $2)
        ORDER BY key, COALESCE(valid_from, '-infinity'::date), id`,
      [filter.key ?? null, filter.itemCode ?? null],
    )) as ParameterRow[];
    return groupByKey(rows, at);
  }

  private divisionRows(where: string, parameters: unknown[]): Promise<DivisionRow[]> {
    return this.dataSource.query(
      `SELECT d.code, d.parent_code, d.name, d.level, d.kind,
              (SELECT count(*)::int FROM divisions c WHERE c.parent_code = d.code) AS child_count
         FROM divisions d WHERE ${where} ORDER BY d.code`,
      parameters,
    ) as Promise<DivisionRow[]>;
  }
}

function toNode(row: DivisionRow): DivisionNode {
  return { ...withoutChildren(row), children: [] };
}

function withoutChildren(row: DivisionRow) {
  return { code: row.code, name: row.name, level: row.level, kind: row.kind, parentCode: row.parent_code };
}

/**
 * The routing basis of an application item as `routeApplication` uses it: the code data of `ITEM_ROUTING_BASES`
 * (docs/domain.md §3, "Where to apply"), not the loaded catalog, so the answer states the rule the gateway applies.
 * Null for items nobody applies for.
 */
function routingOf(code: string) {
  const routing = ITEM_ROUTING_BASES[code];
  if (routing === undefined) return null;
  return {
    basis: routing.basis,
    divisionField: ROUTING_BASIS_FIELDS[routing.basis],
    evidence: routing.evidence,
    source: routing.source,
    note: routing.note,
  };
}
