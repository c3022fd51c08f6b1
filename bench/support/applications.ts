import { createHash } from 'node:crypto';
import { URUMQI_DIVISIONS, withCheckDigit } from '@minsheng/domain';
import { NotAvailable, type BenchContext } from './context.js';
import { MINIMUM_LIVING_ITEM } from './minimum-living-path.js';

/** Street offices (街道) where minimum-living applications are accepted; applicants are spread over them. */
export const SUBDISTRICTS = URUMQI_DIVISIONS.filter((d) => d.kind === 'subdistrict');

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const BASE_BIRTH = Date.UTC(1945, 0, 1);

/** A valid, distinct 18-character resident ID number (GB 11643-1999) for applicant number `n`. */
export function idNumberFor(n: number, area = '650102'): string {
  const birth = new Date(BASE_BIRTH + (n % 20_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const order = String(Math.floor(n / 20_000) % 1_000).padStart(3, '0');
  return withCheckDigit(`${area}${birth}${order}`);
}

/**
 * A realistic minimum-living application (the shape of the portal API's example): a household of three with
 * income, spending and assets, five materials, consent. Each `n` is a different applicant in a different street.
 */
export function applicationBody(n: number): Record<string, unknown> {
  const street = SUBDISTRICTS[n % SUBDISTRICTS.length]!;
  const head = idNumberFor(n, street.parentCode.slice(0, 6));
  const spouse = idNumberFor(n + 5_000_000, street.parentCode.slice(0, 6));
  const child = idNumberFor(n + 9_000_000, street.parentCode.slice(0, 6));
  const birth = (id: string) => `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  return {
    itemCode: MINIMUM_LIVING_ITEM,
    portalReference: `BENCH-${n}`,
    applicant: {
      name: '张三',
      idNumber: head,
      phone: '13912345678',
      householdRegistrationDivision: street.code,
      householdRegistrationType: 'urban',
      residenceDivision: street.code,
      address: `${street.name}幸福路 ${n % 300} 号`,
    },
    household: {
      members: [
        {
          relation: 'head',
          name: '张三',
          idNumber: head,
          birthDate: birth(head),
          health: 'chronic-illness',
          workCapacity: 'none',
          monthlyIncome: { netTransfer: 30_000 },
        },
        {
          relation: 'spouse',
          name: '李梅',
          idNumber: spouse,
          birthDate: birth(spouse),
          health: 'healthy',
          workCapacity: 'partial',
          monthlyIncome: { wages: 80_000 },
        },
        {
          relation: 'child',
          name: '张小明',
          idNumber: child,
          birthDate: birth(child),
          health: 'healthy',
          workCapacity: 'none',
          monthlyIncome: {},
        },
      ],
      essentialSpendingLast12Months: {
        medical: 120_000,
        education: 30_000,
        disabilityRehabilitation: 0,
        disasterOrAccident: 0,
        other: 0,
      },
      assets: { financialFen: { deposits: 50_000, securities: 0, insurance: 0, other: 0 }, vehicles: [], houses: [] },
      dutyBearers: [],
    },
    reason: { category: 'illness', description: '户主长期患病，无劳动能力，配偶打零工，收入不足以维持基本生活' },
    consent: { economicDataCheck: true, givenAt: '2026-03-02T09:30:00+08:00' },
    materials: [
      'application-form',
      'id-card',
      'household-register',
      'income-proof',
      'economic-check-authorisation',
    ].map((type, i) => ({
      type,
      fileName: `${type}.pdf`,
      sha256: sha(`${n}-${i}`),
      reference: `oss://bench/${n}/${type}`,
    })),
  };
}

/** A portal for the bench, allowed the minimum-living item, with a rate limit no load here can reach. */
export async function createBenchPortal(
  ctx: BenchContext,
  name: string,
): Promise<{ portalId: string; apiKey: string }> {
  let module: typeof import('../../scripts/create-portal.js');
  try {
    module = await import('../../scripts/create-portal.js');
  } catch (error) {
    throw new NotAvailable(`scripts/create-portal.ts does not load (${(error as Error).message.split('\n')[0]})`);
  }
  const created = await module.createPortalFromConfig(
    { name, items: [MINIMUM_LIVING_ITEM], rateLimitPerMinute: 100_000_000 },
    ctx.env,
  );
  return { portalId: created.portalId, apiKey: created.apiKey };
}
