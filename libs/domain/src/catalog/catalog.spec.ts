import { DomainError } from '../errors/domain-error.js';
import { DEPARTMENT_CODES, findDepartment } from './departments.js';
import { ASPECTS, ASPECT_CODES, DOMAINS, DOMAIN_CODES, aspectsOf, findAspect, findDomain } from './domains.js';
import { EVIDENCE_TAGS, type AttestedText, type Attestation } from './evidence.js';
import { MATERIAL_TYPES, MATERIAL_TYPE_CODES } from './material-types.js';
import { PROCEDURE_IDS, type ProcedureId } from './procedure-id.js';
import { EXPENDITURE_CATEGORIES, SERVICE_MODES, isApplicationItem, type ServiceItem } from './service-item.js';
import {
  SERVICE_ITEMS,
  applicationItems,
  findServiceItem,
  getServiceItem,
  itemsOfDomain,
  itemsRunBy,
} from './service-items.js';
import { STANDARD_PARAMETERS } from './standard-parameters.js';

const codeOf = (item: ServiceItem): string => item.code;
const bps = (...numbers: number[]): string[] => numbers.map((n) => `BPS-${String(n).padStart(3, '0')}`);

// docs/domain.md §2: the 38 items with individual application and departmental review.
const APPLICATION_ITEMS = bps(
  4,
  7,
  8,
  14,
  16,
  18,
  24,
  25,
  26,
  27,
  32,
  35,
  36,
  52,
  53,
  54,
  56,
  57,
  58,
  59,
  60,
  63,
  64,
  66,
  67,
  69,
  70,
  71,
  72,
  73,
  74,
  75,
  76,
  80,
  81,
  82,
  84,
  86,
);

// The dedicated procedures; every other application item runs 'general-review'.
const DEDICATED_PROCEDURES: Record<string, ProcedureId> = {
  'BPS-064': 'minimum-living',
  'BPS-073': 'minimum-living',
  'BPS-066': 'extreme-poverty',
  'BPS-069': 'temporary-assistance',
  'BPS-072': 'disability-subsidies',
  'BPS-071': 'legal-aid',
  'BPS-060': 'public-rental-housing',
  'BPS-032': 'unemployment-benefit',
};

/** Every fact of an item with its evidence, named for the failure message. */
function factsOf(item: ServiceItem): Array<[string, Attestation]> {
  return [
    ['serviceObject', item.serviceObject],
    ['content', item.content],
    ['standard', item.standard],
    ['expenditure', item.expenditure],
    ['leadDepartment', item.leadDepartment],
    ...item.requiredMaterials.map((m): [string, Attestation] => [`material ${m.material}`, m]),
    ...(item.acceptingLevel ? [['acceptingLevel', item.acceptingLevel] as [string, Attestation]] : []),
    ...(item.approvingLevel ? [['approvingLevel', item.approvingLevel] as [string, Attestation]] : []),
  ];
}

describe('domains and aspects', () => {
  it('has the 9 domains and 22 aspects of the standard, with unique codes', () => {
    expect(DOMAINS).toHaveLength(9);
    expect(ASPECTS).toHaveLength(22);
    expect(DOMAINS.map((d) => d.code)).toEqual([...DOMAIN_CODES]);
    expect(ASPECTS.map((a) => a.code)).toEqual([...ASPECT_CODES]);
    expect(new Set(ASPECTS.map((a) => a.nameZh)).size).toBe(22);
  });

  it('states 97 items and 22 aspects in total', () => {
    expect(DOMAINS.reduce((sum, d) => sum + d.statedItemCount, 0)).toBe(97);
    expect(DOMAINS.reduce((sum, d) => sum + d.statedAspectCount, 0)).toBe(22);
  });

  it.each(ASPECTS.map((a) => [a.code, a] as const))('aspect %s is named after a domain that exists', (code, aspect) => {
    expect(code.startsWith(`${aspect.domain}.`)).toBe(true);
    expect(findDomain(aspect.domain)).toBeDefined();
  });

  it.each(DOMAINS.map((d) => [d.code, d] as const))(
    '%s has as many aspects as the standard states',
    (_code, domain) => {
      expect(aspectsOf(domain.code)).toHaveLength(domain.statedAspectCount);
    },
  );

  it('finds domains and aspects by code and nothing else', () => {
    expect(findDomain('housing')?.nameZh).toBe('住有所居');
    expect(findAspect('housing.public-rental')?.nameZh).toBe('公租房服务');
    expect(findDomain('housing.public-rental')).toBeUndefined();
    expect(findAspect('housing')).toBeUndefined();
  });
});

describe('service items', () => {
  it('has 97 items coded BPS-001 to BPS-097 in order', () => {
    expect(SERVICE_ITEMS).toHaveLength(97);
    SERVICE_ITEMS.forEach((item, index) => {
      expect(item.code).toMatch(/^BPS-\d{3}$/);
      expect(item.code).toBe(bps(index + 1)[0]);
    });
    expect(new Set(SERVICE_ITEMS.map(codeOf)).size).toBe(97);
    expect(new Set(SERVICE_ITEMS.map((item) => item.nameZh)).size).toBe(97);
  });

  it.each([
    ['early-childhood', 9],
    ['education', 10],
    ['employment', 17],
    ['medical-care', 18],
    ['elderly-care', 5],
    ['housing', 4],
    ['vulnerable-groups', 18],
    ['veterans', 5],
    ['culture-sports', 11],
  ] as const)('%s has %i items, as the standard states', (domain, count) => {
    expect(itemsOfDomain(domain)).toHaveLength(count);
    expect(findDomain(domain)?.statedItemCount).toBe(count);
  });

  it.each(SERVICE_ITEMS.map((item) => [item.code, item] as const))('%s is well formed', (_code, item) => {
    expect(item.nameEn.trim()).not.toBe('');
    expect(findAspect(item.aspect)?.domain).toBe(item.domain);
    expect(SERVICE_MODES).toContain(item.mode);
    expect(item.secondaryModes).not.toContain(item.mode);
    for (const mode of item.secondaryModes) expect(SERVICE_MODES).toContain(mode);
    expect(item.expenditure.categories.length).toBeGreaterThan(0);
    expect(new Set(item.expenditure.categories).size).toBe(item.expenditure.categories.length);
    for (const category of item.expenditure.categories) expect(EXPENDITURE_CATEGORIES).toContain(category);
    expect(item.expenditure.text.trim()).not.toBe('');
    expect(findDepartment(item.leadDepartment.value)).toBeDefined();
    for (const department of item.cooperatingDepartments) {
      expect(findDepartment(department)).toBeDefined();
      expect(department).not.toBe(item.leadDepartment.value);
    }
  });

  it.each(SERVICE_ITEMS.map((item) => [item.code, item] as const))('%s tags every fact honestly', (_code, item) => {
    const texts: Array<[string, AttestedText]> = [
      ['serviceObject', item.serviceObject],
      ['content', item.content],
      ['standard', item.standard],
    ];
    for (const [field, value] of texts) {
      // Absent exactly when unknown: nothing is invented, and nothing known is hidden.
      expect({ field, absent: value.text === null }).toEqual({ field, absent: value.evidence === 'unknown' });
    }
    for (const [field, fact] of factsOf(item)) {
      expect({ field, evidence: EVIDENCE_TAGS.includes(fact.evidence) }).toEqual({ field, evidence: true });
      // Checked, secondary and recalled facts must say where they come from.
      if (fact.evidence === 'V' || fact.evidence === 'S' || fact.evidence === 'R') {
        expect({ field, source: typeof fact.source === 'string' && fact.source !== '' }).toEqual({
          field,
          source: true,
        });
      }
    }
  });
});

describe('application items and procedures', () => {
  it('has exactly the 38 application items of reference §2', () => {
    expect(applicationItems().map(codeOf)).toEqual(APPLICATION_ITEMS);
  });

  it('gives a procedure to every application item and to no other item', () => {
    const withProcedure = SERVICE_ITEMS.filter((item) => item.procedure !== null);
    expect(withProcedure.map(codeOf)).toEqual(APPLICATION_ITEMS);
    expect(withProcedure.every(isApplicationItem)).toBe(true);
    for (const item of withProcedure) expect(PROCEDURE_IDS).toContain(item.procedure);
  });

  it.each(APPLICATION_ITEMS)('%s runs its dedicated procedure or the general review', (code) => {
    expect(getServiceItem(code).procedure).toBe(DEDICATED_PROCEDURES[code] ?? 'general-review');
  });

  it('lists the items each procedure runs', () => {
    expect(itemsRunBy('minimum-living').map(codeOf)).toEqual(['BPS-064', 'BPS-073']);
    expect(itemsRunBy('unemployment-benefit').map(codeOf)).toEqual(['BPS-032']);
    expect(itemsRunBy('general-review')).toHaveLength(38 - 8);
  });

  it.each(SERVICE_ITEMS.map((item) => [item.code, item] as const))(
    '%s has materials and levels exactly when it is an application item',
    (_code, item) => {
      const application = isApplicationItem(item);
      expect(item.requiredMaterials.length > 0).toBe(application);
      expect(item.acceptingLevel !== null).toBe(application);
      expect(item.approvingLevel !== null).toBe(application);
      const materials = item.requiredMaterials.map((m) => m.material);
      expect(new Set(materials).size).toBe(materials.length);
      for (const material of materials) expect(MATERIAL_TYPE_CODES).toContain(material);
    },
  );

  // 社会救助暂行办法 arts. 11, 16–18, 48, 60: the 乡镇/街道 accepts social-assistance applications.
  it.each(bps(64, 66, 67, 69, 73))('%s is accepted at the street level and approved by the district', (code) => {
    const item = getServiceItem(code);
    expect(item.acceptingLevel?.value).toBe('street');
    expect(item.approvingLevel?.value).toBe('district');
  });

  it.each(bps(32, 71))('%s is accepted at the district level', (code) => {
    expect(getServiceItem(code).acceptingLevel?.value).toBe('district');
  });

  it('asks for the data-check authorisation in the means-tested social-assistance procedures', () => {
    for (const code of bps(64, 66, 73)) {
      expect(getServiceItem(code).requiredMaterials.map((m) => m.material)).toContain('economic-check-authorisation');
    }
  });
});

describe('departments of the items', () => {
  it('uses only known departments, and every department leads or cooperates somewhere', () => {
    const used = new Set(SERVICE_ITEMS.flatMap((item) => [item.leadDepartment.value, ...item.cooperatingDepartments]));
    expect([...used].sort()).toEqual([...DEPARTMENT_CODES].sort());
  });

  it.each([
    ['BPS-018', 'education', ['human-resources-social-security']],
    ['BPS-072', 'civil-affairs', ['disabled-persons-federation']],
    ['BPS-076', 'education', ['disabled-persons-federation']],
    ['BPS-079', 'housing-urban-rural', ['disabled-persons-federation']],
    ['BPS-083', 'veterans-affairs', ['transport']],
    ['BPS-091', 'culture-sports-tourism', ['publicity']],
  ])('%s, led by "A / B" in the reference, has A as lead and B cooperating', (code, lead, cooperating) => {
    const item = getServiceItem(code);
    expect(item.leadDepartment.value).toBe(lead);
    expect(item.cooperatingDepartments).toEqual(cooperating);
  });
});

describe('standard parameters of the items', () => {
  it('refers only to parameters of the same item', () => {
    for (const item of SERVICE_ITEMS) {
      for (const key of item.standard.parameterKeys) {
        const records = STANDARD_PARAMETERS.filter((p) => p.key === key);
        expect({ key, found: records.length > 0 }).toEqual({ key, found: true });
        for (const record of records) expect({ key, item: record.itemCode }).toEqual({ key, item: item.code });
      }
    }
  });

  it('lists every parameter under its item', () => {
    for (const parameter of STANDARD_PARAMETERS) {
      expect({
        key: parameter.key,
        listed: getServiceItem(parameter.itemCode).standard.parameterKeys.includes(parameter.key),
      }).toEqual({
        key: parameter.key,
        listed: true,
      });
    }
  });
});

describe('material types', () => {
  it('names every material type once', () => {
    expect(MATERIAL_TYPES.map((m) => m.code)).toEqual([...MATERIAL_TYPE_CODES]);
    for (const material of MATERIAL_TYPES) {
      expect(material.nameZh).not.toBe('');
      expect(material.nameEn).not.toBe('');
    }
  });
});

describe('lookup', () => {
  it('finds an item by code', () => {
    expect(findServiceItem('BPS-064')?.nameZh).toBe('最低生活保障');
    expect(findServiceItem('BPS-098')).toBeUndefined();
    expect(getServiceItem('BPS-021').nameZh).toBe('职业介绍、职业指导和创业开业指导');
  });

  it('rejects an unknown code with a typed error', () => {
    expect(() => getServiceItem('BPS-098')).toThrow(DomainError);
    expect(() => getServiceItem('BPS-098')).toThrow(
      expect.objectContaining({ code: 'CATALOG.UNKNOWN_ITEM', details: { field: 'itemCode' } }),
    );
  });
});
