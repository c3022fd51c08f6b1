/** Examples for the OpenAPI document (docs/api.md shows the application, and a test keeps the two equal). */
export const APPLICATION_EXAMPLE = {
  itemCode: 'BPS-064',
  portalReference: 'XJZW-2026-000123',
  applicant: {
    name: '张三',
    idNumber: '11010519491231002X',
    phone: '13912345678',
    householdRegistrationDivision: '650102002',
    householdRegistrationType: 'urban',
    residenceDivision: '650102002',
    address: '天山区燕儿窝路 1 号',
  },
  household: {
    members: [
      {
        relation: 'head',
        name: '张三',
        idNumber: '11010519491231002X',
        birthDate: '1949-12-31',
        health: 'chronic-illness',
        workCapacity: 'none',
        monthlyIncome: { netTransfer: 30000 },
      },
    ],
    essentialSpendingLast12Months: {
      medical: 120000,
      education: 0,
      disabilityRehabilitation: 0,
      disasterOrAccident: 0,
      other: 0,
    },
    assets: { financialFen: { deposits: 50000, securities: 0, insurance: 0, other: 0 }, vehicles: [], houses: [] },
    dutyBearers: [],
  },
  reason: { category: 'illness', description: '长期患病，无劳动能力' },
  consent: { economicDataCheck: true, givenAt: '2026-03-02T09:30:00+08:00' },
  materials: [
    { type: 'application-form', fileName: 'application.pdf', sha256: 'a'.repeat(64), reference: 'oss://portal/1/a' },
    { type: 'id-card', fileName: 'id.jpg', sha256: 'b'.repeat(64), reference: 'oss://portal/1/b' },
    { type: 'household-register', fileName: 'hukou.jpg', sha256: 'c'.repeat(64), reference: 'oss://portal/1/c' },
    { type: 'income-proof', fileName: 'income.pdf', sha256: 'd'.repeat(64), reference: 'oss://portal/1/d' },
    {
      type: 'economic-check-authorisation',
      fileName: 'auth.pdf',
      sha256: 'e'.repeat(64),
      reference: 'oss://portal/1/e',
    },
  ],
};

export const SUBMITTED_EXAMPLE = {
  caseId: '0b7f3c1e-2f55-4d0e-9a51-3d2c1f1e7a10',
  trackingNumber: 'WLMQ-2026-00001234',
  status: 'submitted',
  itemCode: 'BPS-064',
  procedureId: 'minimum-living',
  leadDepartment: 'civil-affairs',
  acceptingOffice: { level: 'street', divisionCode: '650102002', divisionName: '燕儿窝街道', name: '燕儿窝街道' },
  approvingOffice: { level: 'district', divisionCode: '650102', divisionName: '天山区', name: '天山区民政局' },
  portalReference: 'XJZW-2026-000123',
  submittedAt: '2026-03-02T01:30:00.000Z',
  links: {
    self: '/v1/cases/0b7f3c1e-2f55-4d0e-9a51-3d2c1f1e7a10',
    events: '/v1/cases/0b7f3c1e-2f55-4d0e-9a51-3d2c1f1e7a10/events',
  },
};
