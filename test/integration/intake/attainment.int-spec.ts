import { randomUUID } from 'node:crypto';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { getJson, listen } from '../../support/http.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenPortal, legalAidApplication, minimumLivingApplication, post } from './intake-fixtures.js';

/**
 * The public attainment report's answer (docs/api.md "Attainment report"): public, cacheable, JSON or CSV, small
 * cells suppressed. Its figures are checked against a hand count over the acceptance suite's cases
 * (test/integration/acceptance/every-final-state.int-spec.ts).
 */
describe('GET /v1/public/attainment', () => {
  let env: TestEnvironment;
  let gateway: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    env = await createTestEnvironment('attainment', { HEARTBEAT_EVERY_MS: '60000' });
    gateway = await createGateway(env.config);
    base = await listen(gateway);
    const { apiKey } = await givenPortal(env);
    // Five 低保 applications at the 天山区 street office (a cell shown), one legal-aid application (suppressed).
    for (const application of [...Array.from({ length: 5 }, () => minimumLivingApplication()), legalAidApplication()]) {
      expect((await post(base, '/v1/applications', apiKey, application, randomUUID())).status).toBe(202);
    }
  });
  afterAll(async () => {
    await gateway?.close();
    await env?.teardown();
  });

  const year = () => new Date(env.clock.now().getTime() + 8 * 3_600_000).getUTCFullYear();

  it('answers without credentials, suppresses cells under five applications, and carries no personal data', async () => {
    const answer = await getJson(`${base}/v1/public/attainment?year=${year()}`);
    expect(answer.status).toBe(200);
    expect(answer.body.cells).toEqual([
      {
        item: 'BPS-064',
        district: '650102',
        suppressed: false,
        applications: 5,
        outcomes: {},
        decided: 0,
        decidedWithStatutoryLimit: 0,
        withinStatutoryLimitShare: null,
        medianWorkingDaysToDecision: null,
        satisfactionAverage: null,
        satisfactionCount: 0,
      },
      expect.objectContaining({ item: 'BPS-071', district: '650102', suppressed: true, applications: null }),
    ]);
    const filtered = await getJson(`${base}/v1/public/attainment?year=${year()}&item=BPS-071&district=650102`);
    expect(filtered.body.cells).toHaveLength(1);
    expect((await getJson(`${base}/v1/public/attainment?year=${year() - 1}`)).body.cells).toEqual([]);
    const { rows } = await env.db.query(`SELECT tracking_number FROM cases`);
    const text = JSON.stringify(answer.body);
    expect(rows.filter((r) => text.includes(r.tracking_number))).toEqual([]);
  });

  it('is cacheable: Cache-Control and a strong ETag, 304 for a current copy', async () => {
    const first = await getJson(`${base}/v1/public/attainment?year=${year()}`);
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await fetch(`${base}/v1/public/attainment?year=${year()}`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('answers CSV for Accept: text/csv or format=csv, with its own ETag', async () => {
    const byAccept = await fetch(`${base}/v1/public/attainment?year=${year()}`, { headers: { accept: 'text/csv' } });
    const byFormat = await fetch(`${base}/v1/public/attainment?year=${year()}&format=csv`);
    for (const answer of [byAccept, byFormat]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    }
    const csv = await byAccept.text();
    expect(await byFormat.text()).toBe(csv);
    expect(csv.split('\r\n')).toEqual([
      'item,district,suppressed,applications,outcomes,decided,decidedWithStatutoryLimit,withinStatutoryLimitShare,medianWorkingDaysToDecision,satisfactionAverage,satisfactionCount',
      'BPS-064,650102,false,5,,0,0,,,,0',
      'BPS-071,650102,true,,,,,,,,',
      '',
    ]);
    const json = await fetch(`${base}/v1/public/attainment?year=${year()}`);
    expect(byAccept.headers.get('etag')).not.toBe(json.headers.get('etag'));
  });

  it('refuses a malformed query with 400 naming the field', async () => {
    const missing = await getJson(`${base}/v1/public/attainment`);
    expect([missing.status, missing.body.errors[0].field]).toEqual([400, 'year']);
    const district = await getJson(`${base}/v1/public/attainment?year=2026&district=6501`);
    expect([district.status, district.body.errors[0].field]).toEqual([400, 'district']);
    const unknown = await getJson(`${base}/v1/public/attainment?year=2026&applicant=x`);
    expect(unknown.status).toBe(400);
  });
});
