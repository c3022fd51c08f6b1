// Examples for the OpenAPI document, taken from the loaded catalog.
const VERSION = '3f9a1c0d5e7b2a4c6d8e0f1a2b3c4d5e';

export const DOMAINS_EXAMPLE = {
  catalogVersion: VERSION,
  items: [
    {
      code: 'vulnerable-groups',
      nameZh: '弱有所扶',
      nameEn: 'Support for vulnerable groups',
      statedItemCount: 18,
      statedAspectCount: 3,
      itemCount: 18,
      aspects: [
        {
          code: 'vulnerable-groups.social-assistance',
          nameZh: '社会救助服务',
          nameEn: 'Social assistance services',
          itemCount: 7,
        },
      ],
    },
  ],
};

const ITEM_SUMMARY = {
  code: 'BPS-064',
  nameZh: '最低生活保障',
  nameEn: 'Minimum living allowance',
  domain: 'vulnerable-groups',
  aspect: 'vulnerable-groups.social-assistance',
  mode: 'individual-application',
  secondaryModes: [],
  procedure: 'minimum-living',
  leadDepartment: 'civil-affairs',
  isApplication: true,
};

export const ITEMS_EXAMPLE = {
  catalogVersion: VERSION,
  items: [ITEM_SUMMARY],
  total: 2,
  nextCursor: 'eyJhZnRlciI6IkJQUy0wNjQifQ',
};

export const ITEM_EXAMPLE = {
  ...ITEM_SUMMARY,
  modeNote: null,
  serviceObject: {
    text: 'Households whose per-capita income (members living together) is below the local 低保 standard and whose assets meet the local rules',
    evidence: 'V',
    source: 'L1 art. 9',
  },
  content: {
    text: 'A monthly allowance of (低保 standard − monthly per-capita income) × household members, with extra amounts for the elderly, minors, the severely disabled and the seriously ill',
    evidence: 'V',
    source: 'L1 art. 12',
  },
  standard: {
    text: 'Set by the city. 2015: urban 380 and rural 195 yuan per person per month, plus 12 (urban) or 7 (rural) yuan for the four special categories; the 2023 figure is unknown',
    evidence: 'S',
    source: 'P20',
    parameterKeys: ['minimum-living.standard.urban', 'minimum-living.standard.rural'],
  },
  expenditure: {
    categories: ['central-local-shared', 'local'],
    text: 'CS/LOC: shared central–local responsibility or local government',
    evidence: 'R',
    source: 'national standard 2021',
  },
  leadDepartment: { value: 'civil-affairs', evidence: 'S', source: 'P20' },
  cooperatingDepartments: [],
  requiredMaterials: [{ material: 'application-form', evidence: 'V', source: 'L1 art. 11' }],
  acceptingLevel: { value: 'street', evidence: 'V', source: 'L1 arts. 11, 60' },
  approvingLevel: { value: 'district', evidence: 'V', source: 'L1 art. 11' },
  routing: {
    basis: 'registration',
    divisionField: 'applicant.householdRegistrationDivision',
    evidence: 'V',
    source: 'L1 art. 11',
    note: '户籍所在地的乡镇人民政府、街道办事处',
  },
};

export const DEPARTMENTS_EXAMPLE = {
  catalogVersion: VERSION,
  items: [
    {
      code: 'civil-affairs',
      nameZh: '市民政局',
      nameEn: 'Urumqi Civil Affairs Bureau',
      districtNamePattern: '{district}民政局',
      districtNameEvidence: { evidence: 'G', source: null },
      leadItemCount: 11,
    },
  ],
};

export const DIVISION_TREE_EXAMPLE = {
  catalogVersion: VERSION,
  asOf: '2023-06-30',
  items: [
    {
      code: '650100',
      name: '乌鲁木齐市',
      level: 'city',
      kind: 'city',
      parentCode: '650000',
      children: [
        {
          code: '650102',
          name: '天山区',
          level: 'district',
          kind: 'district',
          parentCode: '650100',
          children: [
            {
              code: '650102002',
              name: '燕儿窝街道',
              level: 'street',
              kind: 'subdistrict',
              parentCode: '650102',
              children: [],
            },
          ],
        },
      ],
    },
  ],
};

export const DIVISION_CHILDREN_EXAMPLE = {
  catalogVersion: VERSION,
  asOf: '2023-06-30',
  parent: { code: '650100', name: '乌鲁木齐市', level: 'city', kind: 'city', parentCode: '650000' },
  items: [
    { code: '650102', name: '天山区', level: 'district', kind: 'district', parentCode: '650100', childCount: 22 },
  ],
};

const PARAMETER_VALUE = {
  id: '18',
  value: 38000,
  unit: 'fen-per-person-per-month',
  bound: 'exact',
  validFrom: '2015-01-01',
  validFromPrecision: 'year',
  validTo: '2026-01-01',
  status: 'in-force',
  source: 'P20',
  evidence: 'S',
  confirmed: true,
  note: 'the 2023 figure is unknown',
  reason: null,
  origin: 'catalog',
  publishedBy: 'system:catalog-loader',
  publishedAt: '2025-10-01T02:00:00.000Z',
  supersededAt: null,
  supersededBy: null,
};

const PUBLISHED_VALUE = {
  ...PARAMETER_VALUE,
  id: '35',
  value: 41000,
  validFrom: '2026-01-01',
  validFromPrecision: 'day',
  validTo: null,
  status: 'future',
  source: '乌鲁木齐市民政局 2026 standard notice',
  evidence: 'V',
  reason: '2026 standard published by the city',
  origin: 'operator',
  publishedBy: 'staff:op-7',
};

export const PARAMETERS_EXAMPLE = {
  catalogVersion: VERSION,
  at: '2025-10-09',
  items: [
    {
      key: 'minimum-living.standard.urban',
      itemCode: 'BPS-064',
      unit: 'fen-per-person-per-month',
      inForce: PARAMETER_VALUE,
      history: [PARAMETER_VALUE, PUBLISHED_VALUE],
    },
  ],
};

export const PUBLISH_BODY_EXAMPLE = {
  key: 'minimum-living.standard.urban',
  value: 41000,
  validFrom: '2026-01-01',
  source: '乌鲁木齐市民政局 2026 standard notice',
  evidence: 'V',
  reason: '2026 standard published by the city',
};

export const PUBLISHED_EXAMPLE = {
  published: PUBLISHED_VALUE,
  closedId: '18',
  supersededId: null,
  parameter: PARAMETERS_EXAMPLE.items[0],
};

export const PROBLEM_ITEM_NOT_FOUND = {
  type: 'https://minsheng.dev/problems/catalog-item-not-found',
  title: 'Not Found',
  status: 404,
  detail: 'no service item has the code BPS-999',
  code: 'CATALOG.ITEM_NOT_FOUND',
  errors: [{ field: 'code', code: 'CATALOG.ITEM_NOT_FOUND', message: 'no service item has the code BPS-999' }],
  instance: '/v1/catalog/items/BPS-999',
  requestId: 'req-42',
};
