import { z } from 'zod';
import { EVIDENCE_TAGS, EXPENDITURE_CATEGORIES, ROUTING_BASES, SERVICE_MODES } from '@minsheng/domain';
import { isoDate, responseSchemas, timestamp } from './schema-primitives.js';

/**
 * The answers of the catalog API (docs/api.md "Catalog API"): the items as `libs/domain` defines them
 * (`ServiceItem`), the departments, the divisions and the effective-dated parameters, as `CatalogReader` reads
 * them from PostgreSQL.
 */

const catalogVersion = z.string().nullable().describe('the content hash of the catalog loaded (null before any load)');
const evidence = z.enum(EVIDENCE_TAGS).describe('how well the fact is backed (docs/domain.md §0.1)');
const attestation = { evidence, source: z.string().nullable().describe('a source id of docs/domain.md §0.2') };
const attestedText = z.object({
  text: z.string().nullable().describe('null exactly when the evidence is `unknown`'),
  ...attestation,
});
const attested = <T extends z.ZodType>(value: T) => z.object({ value, ...attestation });

export const catalogAspectSchema = z
  .object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), itemCount: z.int() })
  .register(responseSchemas, { id: 'CatalogAspect' });

export const catalogDomainSchema = z
  .object({
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    statedItemCount: z.int().describe('as the standard states it'),
    statedAspectCount: z.int(),
    itemCount: z.int().describe('items loaded'),
    aspects: z.array(catalogAspectSchema),
  })
  .register(responseSchemas, { id: 'CatalogDomain' });

export const catalogDomainsSchema = z
  .object({ catalogVersion, items: z.array(catalogDomainSchema) })
  .register(responseSchemas, { id: 'CatalogDomains' });

const itemSummaryFields = {
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  domain: z.string(),
  aspect: z.string(),
  mode: z.enum(SERVICE_MODES),
  secondaryModes: z.array(z.enum(SERVICE_MODES)),
  procedure: z.string().nullable().describe('the procedure that handles applications; null when nobody applies'),
  isApplication: z.boolean(),
};

export const catalogItemSummarySchema = z
  .object({ ...itemSummaryFields, leadDepartment: z.string() })
  .register(responseSchemas, { id: 'CatalogItemSummary' });

/** Where an application for the item belongs, by the rule its regulation names (docs/domain.md §3, "Where to apply"). */
export const catalogItemRoutingSchema = z
  .object({
    basis: z
      .enum(ROUTING_BASES)
      .describe(
        'registration (户籍所在地), residence (居住地), case-handling-organ (法律援助法 art. 38), school, or insurer (the social insurance handling office)',
      ),
    divisionField: z.string().describe('the field of an application that names the division the basis reads'),
    evidence: z
      .enum(EVIDENCE_TAGS)
      .exclude(['unknown'])
      .describe('how well the basis is backed (docs/domain.md §0.1); G where no source names the place'),
    source: z.string().nullable().describe('a source id of docs/domain.md §0.2, null where none names the place'),
    note: z.string().nullable().describe('what the source says, or why the basis was chosen where none does'),
  })
  .register(responseSchemas, { id: 'CatalogItemRouting' });

export const catalogItemSchema = z
  .object({
    ...itemSummaryFields,
    modeNote: z.string().nullable(),
    serviceObject: attestedText.describe('服务对象'),
    content: attestedText.describe('服务内容'),
    standard: z
      .object({ ...attestedText.shape, parameterKeys: z.array(z.string()) })
      .describe('服务标准, with the keys of the parameters it refers to'),
    expenditure: z
      .object({ categories: z.array(z.enum(EXPENDITURE_CATEGORIES)), text: z.string(), ...attestation })
      .describe('支出责任'),
    leadDepartment: attested(z.string()).describe('牵头负责单位'),
    cooperatingDepartments: z.array(z.string()),
    requiredMaterials: z.array(z.object({ material: z.string(), ...attestation })),
    acceptingLevel: attested(z.string()).nullable(),
    approvingLevel: attested(z.string()).nullable(),
    routing: catalogItemRoutingSchema
      .nullable()
      .describe('where an application belongs and on what evidence; null for items nobody applies for'),
  })
  .register(responseSchemas, { id: 'CatalogItem' });

export const catalogItemPageSchema = z
  .object({
    catalogVersion,
    items: z.array(catalogItemSummarySchema),
    total: z.int(),
    nextCursor: z.string().nullable(),
  })
  .register(responseSchemas, { id: 'CatalogItemPage' });

export const departmentSchema = z
  .object({
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    districtNamePattern: z.string().describe('the name of a district counterpart, e.g. `{district}民政局`'),
    districtNameEvidence: z.object(attestation).nullable(),
    leadItemCount: z.int(),
  })
  .register(responseSchemas, { id: 'Department' });

export const departmentsSchema = z
  .object({ catalogVersion, items: z.array(departmentSchema) })
  .register(responseSchemas, { id: 'DepartmentList' });

const divisionFields = {
  code: z.string(),
  name: z.string(),
  level: z.string(),
  kind: z.string(),
  parentCode: z.string(),
};

export const divisionSchema = z.object(divisionFields).register(responseSchemas, { id: 'Division' });

interface DivisionNode extends z.output<typeof divisionSchema> {
  children: DivisionNode[];
}
export const divisionNodeSchema: z.ZodType<DivisionNode> = z
  .object({
    ...divisionFields,
    get children() {
      return z.array(divisionNodeSchema);
    },
  })
  .register(responseSchemas, { id: 'DivisionNode' });

export const divisionsSchema = z
  .object({
    catalogVersion,
    asOf: isoDate.describe('the date of the division codes (统计用区划代码)'),
    parent: divisionSchema.optional().describe('with `parent`: the division asked for'),
    items: z
      .array(z.union([divisionNodeSchema, z.object({ ...divisionFields, childCount: z.int() })]))
      .describe('without `parent`: the tree from the city down; with it: its children, each with `childCount`'),
  })
  .register(responseSchemas, { id: 'DivisionList' });

export const parameterValueSchema = z
  .object({
    id: z.string(),
    value: z.number().describe('integer fen for the fen units; a plain number otherwise'),
    unit: z.string(),
    bound: z.string(),
    validFrom: isoDate.nullable(),
    validFromPrecision: z.enum(['day', 'month', 'year']),
    validTo: isoDate.nullable().describe('first day no longer in force, exclusive'),
    status: z.enum(['superseded', 'past', 'in-force', 'future']),
    source: z.string(),
    evidence,
    confirmed: z.boolean(),
    note: z.string().nullable(),
    reason: z.string().nullable(),
    origin: z.string(),
    publishedBy: z.string(),
    publishedAt: timestamp,
    supersededAt: timestamp.nullable(),
    supersededBy: z.string().nullable(),
  })
  .register(responseSchemas, { id: 'ParameterValue' });

export const parameterSchema = z
  .object({
    key: z.string(),
    itemCode: z.string(),
    unit: z.string(),
    inForce: parameterValueSchema.nullable(),
    history: z.array(parameterValueSchema).describe('every value stored for the key, oldest start first'),
  })
  .register(responseSchemas, { id: 'Parameter' });

export const parametersSchema = z
  .object({ catalogVersion, at: isoDate, items: z.array(parameterSchema) })
  .register(responseSchemas, { id: 'ParameterList' });

export const parameterPublishedSchema = z
  .object({
    published: parameterValueSchema.optional().describe('the value just published, as in its key’s history'),
    closedId: z.string().nullable(),
    supersededId: z.string().nullable(),
    parameter: parameterSchema.optional().describe('the key with its value in force today and its history'),
  })
  .register(responseSchemas, { id: 'ParameterPublished' });
