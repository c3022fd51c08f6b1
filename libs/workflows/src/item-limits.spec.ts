import {
  applicationItems,
  EVIDENCE_TAGS,
  routeApplication,
  routingRuleOf,
  type Level,
  type ServiceItem,
} from '@minsheng/domain';
import { findGeneralReviewConfiguration } from './general-review/configurations.js';
import { limitsOfItem } from './item-limits.js';
import { LIMIT_UNITS } from './limits.js';

/** 燕儿窝街道 of 天山区; the competent district of a legal-aid case is elsewhere (沙依巴克区). */
const STREET = '650102002';
const REGISTRATION_DISTRICT = '650102';
const COMPETENT_DISTRICT = '650103';

const RANK: Readonly<Record<string, number>> = { community: 0, street: 1, institution: 2, district: 2, city: 3 };
/** The level of the office an accepting point opens the case at (the committee hands papers to its street). */
const OFFICE_LEVEL: Readonly<Record<string, Level>> = {
  community: 'street',
  street: 'street',
  institution: 'district',
  district: 'district',
  city: 'city',
};

const ITEMS = applicationItems();
const row = (item: ServiceItem) => [`${item.code} ${item.nameZh}`, item] as const;

/**
 * One row per application item, from the data: the routing its rule gives, the levels and their backing, and every
 * limit with its source, evidence and basis (docs/items.md is generated from the same data).
 */
describe('every application item', () => {
  it('is one of the 38 application items of the catalog', () => {
    expect(ITEMS).toHaveLength(38);
  });

  describe.each(ITEMS.map(row))('%s', (_, item) => {
    it('has a procedure, a lead department and levels, each with its evidence', () => {
      expect(item.procedure).not.toBeNull();
      expect(item.acceptingLevel).not.toBeNull();
      expect(item.approvingLevel).not.toBeNull();
      for (const backing of [item.leadDepartment, item.acceptingLevel!, item.approvingLevel!]) {
        expect(EVIDENCE_TAGS.filter((tag) => tag !== 'unknown')).toContain(backing.evidence);
      }
      // Approval never sits below acceptance.
      expect(RANK[item.approvingLevel!.value]!).toBeGreaterThanOrEqual(RANK[item.acceptingLevel!.value]!);
      if (item.procedure === 'general-review') {
        const steps = findGeneralReviewConfiguration(item.code)!.steps;
        expect(steps.at(-1)!.level).toBe(item.approvingLevel!.value);
      }
    });

    it('is routed by its rule to offices of its levels and lead department', () => {
      const rule = routingRuleOf(item)!;
      const routing = routeApplication(item, STREET, 'applicant.householdRegistrationDivision', {
        code: COMPETENT_DISTRICT,
        field: 'details.competentDivision',
      });
      expect(routing.leadDepartment).toBe(item.leadDepartment.value);
      expect(routing.accepting.level).toBe(OFFICE_LEVEL[item.acceptingLevel!.value]);
      expect(routing.approving.level).toBe(OFFICE_LEVEL[item.approvingLevel!.value]);
      const byCompetence = rule.accepting === 'competent-district';
      // An item routed by competence (legal aid, 法律援助法 art. 38) goes to the named district, not the registration's.
      expect(rule.reason !== null).toBe(byCompetence);
      const expectedDistrict = byCompetence ? COMPETENT_DISTRICT : REGISTRATION_DISTRICT;
      if (routing.accepting.level === 'district') expect(routing.accepting.divisionCode).toBe(expectedDistrict);
      if (routing.approving.level === 'district') expect(routing.approving.divisionCode).toBe(expectedDistrict);
      if (routing.accepting.level === 'street') expect(routing.accepting.divisionCode).toBe(STREET);
    });

    it('counts limits that each name their source and evidence, statutory only where the law sets them', () => {
      const limits = limitsOfItem(item.code);
      expect(limits.length).toBeGreaterThan(0);
      for (const { name, limit, basis } of limits) {
        const at = `${item.code} ${name}`;
        expect([at, Number.isSafeInteger(limit.amount) && limit.amount > 0]).toEqual([at, true]);
        expect(LIMIT_UNITS).toContain(limit.unit);
        expect([at, limit.source.citation.trim().length > 0]).toEqual([at, true]);
        expect(['V', 'S', 'R', 'G']).toContain(limit.source.evidence);
        expect([at, basis]).toEqual([at, ['V', 'R'].includes(limit.source.evidence) ? 'statutory' : 'target']);
        // A limit no source gives is an assumption, and a statutory one names its document.
        if (/^(no source|none) found/.test(limit.source.citation))
          expect([at, limit.source.evidence]).toEqual([at, 'G']);
        if (basis === 'statutory')
          expect([at, limit.source.citation]).toEqual([at, expect.stringMatching(/L\d+|〔|法|条例|办法|令|P\d+/)]);
      }
    });
  });
});
