import type { ServiceItem } from '../catalog/service-item.js';
import { getServiceItem } from '../catalog/service-items.js';
import { DomainError } from '../errors/domain-error.js';
import { routeApplication, ROUTING_ERRORS, type ApplicationDivisions } from './route-application.js';

/** Registered and living at the same division unless the test says otherwise. */
const route = (item: ServiceItem, registration: string, more: Partial<ApplicationDivisions> = {}) =>
  routeApplication(item, { registration, residence: registration, ...more });

const minimumLiving = getServiceItem('BPS-064'); // accepted at the street, approved by the district (civil affairs)

describe('routeApplication', () => {
  it.each([
    ['650102002', '燕儿窝街道', '650102', '天山区民政局'],
    ['650103001', '长江路街道', '650103', '沙依巴克区民政局'],
    ['650104001', '北京路街道', '650104', '新市区民政局'],
    ['650105001', '七纺街道', '650105', '水磨沟区民政局'],
    ['650106001', '钢城片区街道', '650106', '头屯河区民政局'],
    ['650107001', '艾维尔沟街道', '650107', '达坂城区民政局'],
    ['650109001', '石化街道', '650109', '米东区民政局'],
    ['650121001', '清水泉片区管委会街道', '650121', '乌鲁木齐县民政局'],
  ])(
    'a 低保 application registered at %s (%s) is accepted there and approved by %s',
    (street, name, district, bureau) => {
      const routing = route(minimumLiving, street);
      expect(routing).toEqual({
        leadDepartment: 'civil-affairs',
        basis: 'registration',
        districtCode: district,
        accepting: { level: 'street', divisionCode: street, divisionName: name, officeName: name },
        approving: { level: 'district', divisionCode: district, divisionName: expect.any(String), officeName: bureau },
      });
    },
  );

  it('accepts the 12-digit form of a street code', () => {
    expect(route(minimumLiving, '650102002000').accepting.divisionCode).toBe('650102002');
  });

  it('opens a community-accepted item (BPS-025) at the street office above the committee', () => {
    const routing = route(getServiceItem('BPS-025'), '650105001');
    expect(routing.leadDepartment).toBe('human-resources-social-security');
    expect(routing.accepting).toMatchObject({ level: 'street', divisionCode: '650105001' });
    expect(routing.approving.officeName).toBe('水磨沟区人力资源和社会保障局');
  });

  it('routes a district-accepted item (unemployment benefit, BPS-032) to the district bureau of the insurer named', () => {
    const routing = route(getServiceItem('BPS-032'), '650102002', { competent: '650104001' });
    expect(routing.basis).toBe('insurer');
    expect(routing.accepting).toEqual({
      level: 'district',
      divisionCode: '650104',
      divisionName: '新市区',
      officeName: '新市区人力资源和社会保障局',
    });
  });

  it('routes legal aid (BPS-071) to the district the application names, not the registration (法律援助法 art. 38)', () => {
    const routing = route(getServiceItem('BPS-071'), '650104001', { competent: '650103002' });
    expect(routing.basis).toBe('case-handling-organ');
    expect(routing.accepting).toEqual({
      level: 'district',
      divisionCode: '650103',
      divisionName: '沙依巴克区',
      officeName: '沙依巴克区司法局',
    });
    expect(routing.approving.divisionCode).toBe('650103');
    expect(routing.districtCode).toBe('650103');
  });

  it.each([
    ['no division named', undefined, ROUTING_ERRORS.competentDivisionRequired],
    ['an unknown division', '650199', ROUTING_ERRORS.unknownDivision],
  ])('refuses legal aid with %s, naming the detail', (_, code, error) => {
    expect(() => route(getServiceItem('BPS-071'), '650104001', { competent: code })).toThrow(
      expect.objectContaining({ code: error, details: { field: 'details.competentDivision' } }),
    );
  });

  it('routes an item approved by the city (work injury, BPS-036) to the city bureau', () => {
    const routing = route(getServiceItem('BPS-036'), '650102002', { competent: '650104' });
    expect(routing.accepting).toMatchObject({ level: 'city', divisionCode: '650100' });
    expect(routing.approving.officeName).toBe('乌鲁木齐市人力资源和社会保障局');
  });

  it('routes public rental housing (BPS-060) by residence, not registration (住房和城乡建设部令第11号)', () => {
    const routing = route(getServiceItem('BPS-060'), '650104001', { residence: '650105001' });
    expect(routing.basis).toBe('residence');
    expect(routing.accepting).toMatchObject({ level: 'street', divisionCode: '650105001' });
    expect(routing.approving.divisionCode).toBe('650105');
    expect(routing.districtCode).toBe('650105');
  });

  it('routes a student grant (BPS-016) to the district of the school named', () => {
    const routing = route(getServiceItem('BPS-016'), '650102002', { competent: '650109001' });
    expect([routing.basis, routing.accepting.divisionCode, routing.approving.officeName]).toEqual([
      'school',
      '650109',
      '米东区教育局',
    ]);
  });

  it.each([
    ['BPS-032', 'insurer'],
    ['BPS-016', 'school'],
  ])('refuses %s without the division of its %s, naming details.competentDivision', (code, basis) => {
    expect(() => route(getServiceItem(code), '650102002')).toThrow(
      expect.objectContaining({
        code: ROUTING_ERRORS.competentDivisionRequired,
        message: expect.stringContaining(basis),
        details: { field: 'details.competentDivision' },
      }),
    );
  });

  it('names the residence field when a street-accepted item routed by residence gets a district', () => {
    expect(() => route(getServiceItem('BPS-060'), '650104001', { residence: '650105' })).toThrow(
      expect.objectContaining({
        code: ROUTING_ERRORS.streetRequired,
        details: { field: 'applicant.residenceDivision' },
      }),
    );
  });

  it('accepts a district-level registration for a district-accepted item', () => {
    expect(route(getServiceItem('BPS-080'), '650109').approving.divisionCode).toBe('650109');
  });

  it.each([
    ['a district code for a street-accepted item', minimumLiving, '650102', ROUTING_ERRORS.streetRequired],
    ['an unknown code', minimumLiving, '650199001', ROUTING_ERRORS.unknownDivision],
    ['the city itself', minimumLiving, '650100', ROUTING_ERRORS.unknownDivision],
    [
      'an item without applications (BPS-001)',
      getServiceItem('BPS-001'),
      '650102002',
      ROUTING_ERRORS.notApplicationItem,
    ],
  ])('refuses %s', (_label, item, code, errorCode) => {
    let caught: unknown;
    try {
      route(item, code);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe(errorCode);
  });
});
