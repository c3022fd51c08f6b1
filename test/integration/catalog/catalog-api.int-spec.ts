import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DOMAINS } from '@minsheng/domain';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { getJson, listen } from '../../support/http.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

describe('catalog API: domains, items, departments, divisions', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    env = await createTestEnvironment('catalog api');
    app = await createGateway(env.config);
    base = await listen(app);
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  it('lists the 9 domains with their 22 aspects and the counts the standard states', async () => {
    const { status, body } = await getJson(`${base}/v1/catalog/domains`);
    expect(status).toBe(200);
    expect(body.catalogVersion).toMatch(/^[0-9a-f]{32}$/);
    expect(body.items).toHaveLength(9);
    const counts = Object.fromEntries(body.items.map((d: any) => [d.nameZh, d.itemCount]));
    expect(counts).toEqual({
      幼有所育: 9,
      学有所教: 10,
      劳有所得: 17,
      病有所医: 18,
      老有所养: 5,
      住有所居: 4,
      弱有所扶: 18,
      优军服务保障: 5,
      文体服务保障: 11,
    });
    for (const domain of body.items) {
      expect(domain.itemCount).toBe(domain.statedItemCount);
      expect(domain.aspects).toHaveLength(domain.statedAspectCount);
      expect(domain.aspects.reduce((sum: number, a: any) => sum + a.itemCount, 0)).toBe(domain.itemCount);
    }
    expect(body.items.flatMap((d: any) => d.aspects)).toHaveLength(22);
    expect(body.items.map((d: any) => d.code)).toEqual(DOMAINS.map((d) => d.code));
  });

  it('answers 304 to If-None-Match with the current ETag, and caches publicly', async () => {
    const first = await fetch(`${base}/v1/catalog/domains`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    const again = await fetch(`${base}/v1/catalog/domains`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const weak = await fetch(`${base}/v1/catalog/domains`, { headers: { 'if-none-match': `"other", W/${etag}` } });
    expect(weak.status).toBe(304);
    const stale = await fetch(`${base}/v1/catalog/domains`, { headers: { 'if-none-match': '"stale"' } });
    expect(stale.status).toBe(200);
    // Another resource has another tag.
    const items = await fetch(`${base}/v1/catalog/items/BPS-064`, { headers: { 'if-none-match': etag! } });
    expect(items.status).toBe(200);
    expect(items.headers.get('etag')).not.toBe(etag);
  });

  it('walks all 97 items exactly once with the cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `${base}/v1/catalog/items?limit=10${cursor ? `&cursor=${cursor}` : ''}`;
      const { status, body } = await getJson(url);
      expect(status).toBe(200);
      expect(body.total).toBe(97);
      seen.push(...body.items.map((item: any) => item.code));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 20);
    expect(pages).toBe(10);
    expect(seen).toHaveLength(97);
    expect(new Set(seen).size).toBe(97);
    expect(seen[0]).toBe('BPS-001');
    expect(seen[96]).toBe('BPS-097');
  });

  it('filters by application, domain, aspect, department and mode', async () => {
    const application = await getJson(`${base}/v1/catalog/items?applicationOnly=true&limit=100`);
    expect(application.body.total).toBe(38);
    expect(application.body.items).toHaveLength(38);
    expect(application.body.items.every((i: any) => i.isApplication && i.procedure !== null)).toBe(true);
    expect(application.body.nextCursor).toBeNull();

    const byMode = await getJson(`${base}/v1/catalog/items?mode=individual-application&limit=100`);
    expect(byMode.body.total).toBe(38);

    const domain = await getJson(`${base}/v1/catalog/items?domain=vulnerable-groups&limit=100`);
    expect(domain.body.total).toBe(18);
    expect(domain.body.items.every((i: any) => i.domain === 'vulnerable-groups')).toBe(true);

    const aspect = await getJson(`${base}/v1/catalog/items?aspect=vulnerable-groups.legal-services&limit=100`);
    expect(aspect.body.total).toBeGreaterThan(0);
    expect(aspect.body.items.every((i: any) => i.aspect === 'vulnerable-groups.legal-services')).toBe(true);

    const department = await getJson(`${base}/v1/catalog/items?department=justice&applicationOnly=true`);
    expect(department.body.items.map((i: any) => i.procedure)).toContain('legal-aid');
    expect(department.body.items.every((i: any) => i.leadDepartment === 'justice' && i.isApplication)).toBe(true);
  });

  it('searches Chinese and English names by substring', async () => {
    const zh = await getJson(`${base}/v1/catalog/items?q=${encodeURIComponent('最低生活')}`);
    expect(zh.body.items.map((i: any) => i.code)).toEqual(['BPS-064', 'BPS-073']);
    const en = await getJson(`${base}/v1/catalog/items?q=${encodeURIComponent('minimum LIVING allowance')}`);
    expect(en.body.items.map((i: any) => i.code)).toEqual(['BPS-064', 'BPS-073']);
    const none = await getJson(`${base}/v1/catalog/items?q=${encodeURIComponent('火星')}`);
    expect(none.body).toMatchObject({ items: [], total: 0, nextCursor: null });
    // LIKE wildcards are plain characters here.
    const percent = await getJson(`${base}/v1/catalog/items?q=%25`);
    expect(percent.body.total).toBe(0);
  });

  it('refuses unknown filters, bad values and forged cursors with problem+json 400', async () => {
    for (const query of [
      'colour=red',
      'domain=space',
      'limit=0',
      'limit=101',
      'applicationOnly=maybe',
      'cursor=bm9wZQ',
    ]) {
      const { status, headers, body } = await getJson(`${base}/v1/catalog/items?${query}`);
      expect({ query, status }).toEqual({ query, status: 400 });
      expect(headers.get('content-type')).toContain('application/problem+json');
      expect(body.code).toBe('VALIDATION.FAILED');
      expect(body.errors[0].field).toBe(query.split('=')[0]);
    }
  });

  it('answers one item in full, and 404 problem+json for an unknown code', async () => {
    const { status, body } = await getJson(`${base}/v1/catalog/items/BPS-064`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      code: 'BPS-064',
      nameZh: '最低生活保障',
      procedure: 'minimum-living',
      isApplication: true,
      leadDepartment: { value: 'civil-affairs' },
    });
    expect(body.standard.parameterKeys).toContain('minimum-living.standard.urban');
    expect(body.expenditure.categories.length).toBeGreaterThan(0);

    const missing = await getJson(`${base}/v1/catalog/items/BPS-999`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ status: 404, code: 'CATALOG.ITEM_NOT_FOUND', title: 'Not Found' });
  });

  it('names the routing basis of every application item with its evidence, and none for the others', async () => {
    const expectations: Record<string, object> = {
      'BPS-064': {
        basis: 'registration',
        divisionField: 'applicant.householdRegistrationDivision',
        evidence: 'V',
        source: 'L1 art. 11',
      },
      // 法律援助法 art. 38: where the case-handling organ sits, not the household registration.
      'BPS-071': {
        basis: 'case-handling-organ',
        divisionField: 'details.competentDivision',
        evidence: 'V',
        source: 'L2 art. 38',
      },
      'BPS-032': { basis: 'insurer', divisionField: 'details.competentDivision', evidence: 'R' },
      'BPS-016': { basis: 'school', divisionField: 'details.competentDivision', evidence: 'R' },
      'BPS-060': { basis: 'residence', divisionField: 'applicant.residenceDivision', evidence: 'R' },
      'BPS-007': { basis: 'registration', evidence: 'G', source: null },
    };
    for (const [code, routing] of Object.entries(expectations)) {
      const { status, body } = await getJson(`${base}/v1/catalog/items/${code}`);
      expect([code, status]).toEqual([code, 200]);
      expect([code, body.routing]).toMatchObject([code, routing]);
    }
    const applications = await getJson(`${base}/v1/catalog/items?applicationOnly=true&limit=100`);
    expect(applications.body.total).toBeGreaterThan(0);
    for (const item of applications.body.items) {
      const { body } = await getJson(`${base}/v1/catalog/items/${item.code}`);
      expect([item.code, typeof body.routing?.basis]).toEqual([item.code, 'string']);
      expect(body.routing.note === null || typeof body.routing.note === 'string').toBe(true);
    }
    const all = await getJson(`${base}/v1/catalog/items?limit=100`);
    const other = all.body.items.find((item: any) => !item.isApplication);
    expect(other).toBeDefined();
    const { body: otherBody } = await getJson(`${base}/v1/catalog/items/${other.code}`);
    expect(otherBody.isApplication).toBe(false);
    expect(otherBody.routing).toBeNull();
  });

  it('lists departments with the items each leads', async () => {
    const { status, body } = await getJson(`${base}/v1/catalog/departments`);
    expect(status).toBe(200);
    expect(body.items).toHaveLength(14);
    const civil = body.items.find((d: any) => d.code === 'civil-affairs');
    expect(civil).toMatchObject({ nameZh: '市民政局', districtNamePattern: '{district}民政局' });
    expect(body.items.reduce((sum: number, d: any) => sum + d.leadItemCount, 0)).toBe(97);
  });

  it('serves the division tree: 7 districts and 1 county under 650100, streets below them', async () => {
    const { status, body } = await getJson(`${base}/v1/catalog/divisions`);
    expect(status).toBe(200);
    expect(body.asOf).toBe('2023-06-30');
    expect(body.items).toHaveLength(1);
    const city = body.items[0];
    expect(city).toMatchObject({ code: '650100', name: '乌鲁木齐市', level: 'city' });
    expect(city.children).toHaveLength(8);
    expect(city.children.filter((c: any) => c.kind === 'district')).toHaveLength(7);
    expect(city.children.filter((c: any) => c.kind === 'county').map((c: any) => c.name)).toEqual(['乌鲁木齐县']);
    const units = city.children.reduce((sum: number, district: any) => sum + district.children.length, 0);
    expect(units).toBe(130);
    const tianshan = city.children.find((c: any) => c.code === '650102');
    expect(tianshan.children.every((s: any) => s.level === 'street' && s.parentCode === '650102')).toBe(true);
  });

  it('serves the children of a division, in any code form, and 404 for an unknown one', async () => {
    const city = await getJson(`${base}/v1/catalog/divisions?parent=650100`);
    expect(city.status).toBe(200);
    expect(city.body.parent).toMatchObject({ code: '650100', name: '乌鲁木齐市' });
    expect(city.body.items).toHaveLength(8);
    expect(city.body.items.every((d: any) => d.childCount > 0)).toBe(true);

    const short = await getJson(`${base}/v1/catalog/divisions?parent=650102`);
    const long = await getJson(`${base}/v1/catalog/divisions?parent=650102000000`);
    expect(long.body.items).toEqual(short.body.items);
    expect(short.body.items.length).toBe(city.body.items.find((d: any) => d.code === '650102').childCount);

    const unknown = await getJson(`${base}/v1/catalog/divisions?parent=650199`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('CATALOG.DIVISION_NOT_FOUND');
    const malformed = await getJson(`${base}/v1/catalog/divisions?parent=65`);
    expect(malformed.status).toBe(400);
  });

  it('documents every catalog route in the OpenAPI document', async () => {
    const { body } = await getJson(`${base}/docs/openapi.json`);
    for (const path of [
      '/v1/catalog/domains',
      '/v1/catalog/items',
      '/v1/catalog/items/{code}',
      '/v1/catalog/departments',
      '/v1/catalog/divisions',
      '/v1/catalog/parameters',
    ]) {
      expect(body.paths[path]).toBeDefined();
    }
    const ok = body.paths['/v1/catalog/items'].get.responses['200'];
    expect(ok.content['application/json'].example.items[0].code).toBe('BPS-064');
    expect(body.paths['/v1/catalog/parameters'].post.responses['201']).toBeDefined();
  });
});
