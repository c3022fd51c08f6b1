import { DISTRICT_PROCEDURE_SETTINGS, STANDARD_PARAMETERS, getServiceItem } from '@minsheng/domain';
import { buildProcedureInput, storedProcedureInput } from './procedure-input.js';

const TIANSHAN = '650102';
const build = (itemCode: string, details: object = {}, parameters = STANDARD_PARAMETERS) =>
  buildProcedureInput({
    item: getServiceItem(itemCode),
    districtCode: TIANSHAN,
    details,
    parameters,
    today: '2026-06-01',
  });

describe('buildProcedureInput: the one builder of a procedure input (docs/domain.md §7.6)', () => {
  it.each([
    ['BPS-064', {}, { approvalDelegatedToStreet: false }],
    ['BPS-066', {}, {}],
    ['BPS-072', { subsidies: ['living', 'living'] }, { subsidies: ['living'] }],
    [
      'BPS-071',
      { urgent: true, competentDivision: '650103', competenceGround: 'case-handling-organ' },
      { urgent: true, dayCounting: DISTRICT_PROCEDURE_SETTINGS.legalAidDayCounting },
    ],
    ['BPS-060', {}, { priorityHousehold: false }],
    ['BPS-032', { unemploymentRegistered: true }, { unemploymentRegistered: true }],
    // Routed by its insurer and its school: the division named is routing's, not the machine's.
    ['BPS-032', { unemploymentRegistered: true, competentDivision: '650103' }, { unemploymentRegistered: true }],
    ['BPS-016', { competentDivision: '650103' }, expect.objectContaining({ itemCode: 'BPS-016' })],
    // 抚恤 states the day of leaving service, which opens its window (checked at intake, application-window.ts).
    ['BPS-082', { leftServiceOn: '2026-05-01' }, expect.objectContaining({ itemCode: 'BPS-082' })],
  ])('builds %s from the application and the district settings', (itemCode, details, input) => {
    expect(build(itemCode, details)).toEqual({ ok: true, input, parameters: [] });
  });

  it('fixes the temporary-assistance caps and the street limit from the published values of the day', () => {
    const built = build('BPS-069', { assistanceType: 'emergency', requestedAmountFen: 50_000 });
    expect(built).toMatchObject({
      ok: true,
      input: {
        assistanceType: 'emergency',
        requestedAmountFen: 50_000,
        capFen: 190_000,
        majorCaseCapFen: 3_000_000,
        priorAssistanceThisYearForCause: false,
        streetApprovalLimitFen: DISTRICT_PROCEDURE_SETTINGS.temporaryAssistanceStreetApprovalLimitFen,
      },
    });
    expect(built.ok && built.parameters.map((p) => [p.key, p.on, p.provisional])).toEqual([
      ['temporary-assistance.regional-urban-standard', '2026-06-01', true],
      ['temporary-assistance.cap.emergency', '2026-06-01', false],
      ['temporary-assistance.cap.major-case', '2026-06-01', false],
    ]);
  });

  it('names every missing or foreign detail', () => {
    expect(build('BPS-069', { urgent: true })).toEqual({
      ok: false,
      problems: [
        { field: 'details.urgent', code: 'APPLICATION.DETAIL_NOT_APPLICABLE', message: expect.any(String) },
        { field: 'details.assistanceType', code: 'APPLICATION.DETAIL_REQUIRED', message: expect.any(String) },
        { field: 'details.requestedAmountFen', code: 'APPLICATION.DETAIL_REQUIRED', message: expect.any(String) },
      ],
    });
  });

  it('refuses a named division for an item routed by registration or residence', () => {
    for (const itemCode of ['BPS-064', 'BPS-060']) {
      expect(build(itemCode, { competentDivision: '650103' })).toEqual({
        ok: false,
        problems: [
          {
            field: 'details.competentDivision',
            code: 'APPLICATION.DETAIL_NOT_APPLICABLE',
            message: expect.any(String),
          },
        ],
      });
    }
  });

  it('refuses a day of leaving service for an item without an application window', () => {
    expect(build('BPS-084', { leftServiceOn: '2026-05-01' })).toMatchObject({
      ok: false,
      problems: [{ field: 'details.leftServiceOn', code: 'APPLICATION.DETAIL_NOT_APPLICABLE' }],
    });
  });

  it('refuses a temporary-assistance application when no regional standard is in force', () => {
    const without = STANDARD_PARAMETERS.filter((p) => p.key !== 'temporary-assistance.regional-urban-standard');
    expect(build('BPS-069', { assistanceType: 'expenditure', requestedAmountFen: 1 }, without)).toMatchObject({
      ok: false,
      problems: [{ field: 'details.assistanceType', code: 'PARAMETER.NOT_IN_FORCE' }],
    });
  });

  it('refuses an input the machine would not start on (a major-case cap published below the type cap)', () => {
    const low = STANDARD_PARAMETERS.map((p) =>
      p.key === 'temporary-assistance.cap.major-case' ? { ...p, value: 100 } : p,
    );
    expect(build('BPS-069', { assistanceType: 'emergency', requestedAmountFen: 50 }, low)).toMatchObject({
      ok: false,
      problems: [{ field: 'details.majorCaseCapFen', code: 'TEMPORARY_ASSISTANCE.BAD_INPUT' }],
    });
  });
});

describe('storedProcedureInput', () => {
  it('answers what intake stored', () => {
    expect(storedProcedureInput('c1', { procedureInput: { urgent: false } })).toEqual({ urgent: false });
  });

  it.each([[{}], [{ procedureInput: null }], [{ procedureInput: [] }]])('refuses facts without one: %j', (facts) => {
    expect(() => storedProcedureInput('c1', facts)).toThrow(
      expect.objectContaining({ code: 'CASE.PROCEDURE_INPUT_MISSING' }),
    );
  });
});
