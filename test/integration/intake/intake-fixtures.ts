import { withCheckDigit } from '../../../libs/domain/src/index.js';
import { PiiCipher } from '../../../libs/infra/src/index.js';
import { createPortal } from '../../../apps/gateway/src/portals/portal-registry.js';
import { type TestEnvironment } from '../../support/test-environment.js';

let sequence = 100;

/** A valid identity number of someone born on 1980-01-01 in 天山区, unique within the run. */
export function nextIdNumber(): string {
  sequence += 1;
  return withCheckDigit(`65010219800101${String(sequence).padStart(3, '0')}`);
}

export async function givenPortal(
  env: TestEnvironment,
  options: { name?: string; items?: string[]; rateLimitPerMinute?: number } = {},
): Promise<{ portalId: string; apiKey: string; prefix: string }> {
  const cipher = new PiiCipher(env.config.pii.encryptionKey, env.config.pii.hashKey);
  const q = { query: async (sql: string, params?: unknown[]) => (await env.db.query(sql, params)).rows };
  return createPortal(q, cipher, {
    name: options.name ?? `portal-${Math.random().toString(36).slice(2)}`,
    allowedItems: options.items ?? ['BPS-064', 'BPS-069', 'BPS-071', 'BPS-072', 'BPS-004', 'BPS-066'],
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
  });
}

const sha = (c: string) => c.repeat(64);
const MATERIALS = [
  'application-form',
  'id-card',
  'household-register',
  'income-proof',
  'economic-check-authorisation',
].map((type, i) => ({
  type,
  fileName: `${type}.pdf`,
  sha256: sha('abcdef0123'[i]!),
  reference: `oss://portal/${type}`,
}));

/** A complete, valid 低保 (BPS-064) application for a one-person household registered at 燕儿窝街道. */
export function minimumLivingApplication(idNumber = nextIdNumber(), overrides: Record<string, unknown> = {}) {
  return {
    itemCode: 'BPS-064',
    portalReference: `REF-${idNumber.slice(-6)}-${Math.random().toString(36).slice(2, 8)}`,
    applicant: {
      name: '张三',
      idNumber,
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
          idNumber,
          birthDate: '1980-01-01',
          health: 'chronic-illness',
          workCapacity: 'partial',
          monthlyIncome: { wages: 20000, netTransfer: 5000 },
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
    reason: { category: 'illness', description: '长期患病' },
    consent: { economicDataCheck: true, givenAt: '2026-03-02T09:30:00+08:00' },
    materials: MATERIALS,
    ...overrides,
  };
}

/**
 * A complete 法律援助 (BPS-071) application, not urgent, naming the district where the case-handling organ sits
 * (天山区 unless said otherwise, 法律援助法 art. 38); decided by that district's justice bureau.
 */
export function legalAidApplication(idNumber = nextIdNumber(), competentDivision = '650102') {
  return {
    ...minimumLivingApplication(idNumber),
    itemCode: 'BPS-071',
    details: { urgent: false, competentDivision, competenceGround: 'case-handling-organ' },
    materials: ['id-card', 'economic-status-statement', 'legal-matter-documents'].map((type) => ({
      type,
      fileName: 'f.pdf',
      sha256: 'a'.repeat(64),
      reference: type,
    })),
  };
}

export function post(base: string, path: string, apiKey: string, body: unknown, idempotencyKey?: string) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': apiKey,
      ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }).then(async (response) => {
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: response.status, headers: response.headers, body: parsed };
  });
}

export async function get(base: string, path: string, apiKey: string) {
  const response = await fetch(`${base}${path}`, { headers: { 'x-api-key': apiKey } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

/** Row counts of every table intake writes. */
export async function rowCounts(env: TestEnvironment): Promise<Record<string, number>> {
  const { rows } = await env.db.query(
    `SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM applicants)::int AS applicants,
            (SELECT count(*) FROM case_events)::int AS events, (SELECT count(*) FROM outbox)::int AS outbox,
            (SELECT count(*) FROM idempotency_keys)::int AS idempotency`,
  );
  return rows[0];
}
