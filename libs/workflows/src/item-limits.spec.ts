import {
  applicationItems,
  EVIDENCE_TAGS,
  ITEM_ROUTING_BASES,
  routeApplication,
  ROUTING_BASES,
  routingRuleOf,
  type Level,
  type RoutingBasis,
  type ServiceItem,
} from '@minsheng/domain';
import { findGeneralReviewConfiguration } from './general-review/configurations.js';
import { limitsOfItem } from './item-limits.js';
import { LIMIT_UNITS } from './limits.js';

/**
 * Registered at 燕儿窝街道 of 天山区, living at 七纺街道 of 水磨沟区; the division an application names (the
 * case-handling organ, the school, the insurer) is 长江路街道 of 沙依巴克区: each basis leads somewhere else.
 */
const STREET = '650102002';
const RESIDENCE = '650105001';
const NAMED = '650103001';
const EXPECTED: Readonly<Record<RoutingBasis, readonly [street: string, district: string]>> = {
  registration: [STREET, '650102'],
  residence: [RESIDENCE, '650105'],
  'case-handling-organ': [NAMED, '650103'],
  school: [NAMED, '650103'],
  insurer: [NAMED, '650103'],
};

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

    it('is routed by the basis its data gives, backed by its evidence, to offices of its levels and lead department', () => {
      const rule = routingRuleOf(item)!;
      // Every application item names its basis as data; a statutory basis cites its source.
      expect(ITEM_ROUTING_BASES[item.code]).toBeDefined();
      expect(ROUTING_BASES).toContain(rule.basis);
      expect(['V', 'S', 'R', 'G']).toContain(rule.evidence);
      if (rule.evidence !== 'G') expect([item.code, rule.source]).toEqual([item.code, expect.any(String)]);
      const routing = routeApplication(item, { registration: STREET, residence: RESIDENCE, competent: NAMED });
      expect(routing.basis).toBe(rule.basis);
      expect(routing.leadDepartment).toBe(item.leadDepartment.value);
      expect(routing.accepting.level).toBe(OFFICE_LEVEL[item.acceptingLevel!.value]);
      expect(routing.approving.level).toBe(OFFICE_LEVEL[item.approvingLevel!.value]);
      // The offices sit at the division the basis reads: registration, residence, or the one the application names.
      const [street, district] = EXPECTED[rule.basis];
      expect(routing.districtCode).toBe(district);
      for (const office of [routing.accepting, routing.approving]) {
        if (office.level === 'district') expect([item.code, office.divisionCode]).toEqual([item.code, district]);
        if (office.level === 'street') expect([item.code, office.divisionCode]).toEqual([item.code, street]);
      }
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
