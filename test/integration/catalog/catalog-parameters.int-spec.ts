import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { addDays, toShanghaiDate } from '@minsheng/domain';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { mintStaffToken } from '../../../scripts/mint-token.js';
import {
  PARAMETER_NOT_IN_FORCE_ALERT,
  PublishedParameters,
  raiseOperatorAlert,
} from '../../../libs/infra/src/index.js';
import { getJson, listen } from '../../support/http.js';
import { createTestEnvironment, TEST_CLOCK_START, type TestEnvironment } from '../../support/test-environment.js';

describe('catalog API: effective-dated parameters and operator publishing', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;
  let operator: string;
  let reviewer: string;
  // The business day the file's clock starts on (a test runs within it).
  const today = toShanghaiDate(new Date(TEST_CLOCK_START));
  const tomorrow = addDays(today, 1);

  const staff = (roles: string[]) =>
    mintStaffToken(
      { sub: `u-${roles[0]}`, name: '测试', department: 'civil-affairs', level: 'city', divisions: ['650100'], roles },
      env.env,
    );

  function publish(body: unknown, token: string | null = operator, requestId = 'req-publish') {
    return getJson(`${base}/v1/catalog/parameters`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
  }

  const parameter = async (key: string, at?: string) => {
    const { status, body } = await getJson(
      `${base}/v1/catalog/parameters?key=${encodeURIComponent(key)}${at ? `&at=${at}` : ''}`,
    );
    expect(status).toBe(200);
    expect(body.items).toHaveLength(1);
    return body.items[0];
  };

  beforeAll(async () => {
    env = await createTestEnvironment('catalog parameters');
    app = await createGateway(env.config);
    base = await listen(app);
    operator = await staff(['operator']);
    reviewer = await staff(['reviewer']);
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  it('answers the value in force on a date and the history of a key', async () => {
    const before = await parameter('disability-subsidies.living-subsidy', '2025-06-30');
    expect(before).toMatchObject({ itemCode: 'BPS-072', unit: 'fen-per-person-per-month' });
    expect(before.inForce).toMatchObject({ value: 12000, validFrom: null, validTo: '2026-01-01', status: 'in-force' });
    expect(before.history.map((v: any) => [v.value, v.status])).toEqual([
      [12000, 'in-force'],
      [14000, 'future'],
    ]);
    const after = await parameter('disability-subsidies.living-subsidy', '2026-01-01');
    expect(after.inForce).toMatchObject({ value: 14000, validFrom: '2026-01-01', validTo: null });
    expect(after.history.map((v: any) => v.status)).toEqual(['past', 'in-force']);
  });

  it('flags values backed only by recall or a guess as unconfirmed', async () => {
    const { body } = await getJson(`${base}/v1/catalog/parameters?itemCode=BPS-032`);
    const byKey = Object.fromEntries(body.items.map((p: any) => [p.key, p.history[0]]));
    expect(byKey['unemployment-benefit.ratio-to-minimum-wage']).toMatchObject({
      evidence: 'G',
      confirmed: false,
      value: 0.9,
    });
    expect(byKey['unemployment-benefit.floor']).toMatchObject({ evidence: 'V', confirmed: true });
    const recalled = await parameter('rural-family-planning-reward.annual');
    expect(recalled.inForce).toMatchObject({ evidence: 'R', confirmed: false });
    expect(body.items.every((p: any) => p.itemCode === 'BPS-032')).toBe(true);
  });

  it('refuses publishing without a token (401) and without the operator role (403)', async () => {
    const body = {
      key: 'minimum-living.standard.urban',
      value: 41000,
      validFrom: tomorrow,
      source: 's',
      evidence: 'V',
      reason: 'r',
    };
    const anonymous = await publish(body, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('AUTH.UNAUTHENTICATED');
    const wrongRole = await publish(body, reviewer);
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.code).toBe('AUTH.FORBIDDEN');
    const rows = await env.db.query(`SELECT count(*)::int AS n FROM catalog_parameters WHERE origin = 'operator'`);
    expect(rows.rows[0].n).toBe(0);
  });

  it('refuses a past start, an unknown key, a fractional amount and unknown fields', async () => {
    const valid = {
      key: 'minimum-living.standard.urban',
      value: 41000,
      validFrom: tomorrow,
      source: 's',
      evidence: 'V',
      reason: 'r',
    };
    const past = await publish({ ...valid, validFrom: addDays(today, -1) });
    expect(past.status).toBe(422);
    expect(past.body.code).toBe('CATALOG.PARAMETER_BACKDATED');
    const unknown = await publish({ ...valid, key: 'no.such.key' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('CATALOG.PARAMETER_NOT_FOUND');
    const fractional = await publish({ ...valid, value: 410.5 });
    expect(fractional.status).toBe(400);
    expect(fractional.body.errors).toEqual([expect.objectContaining({ field: 'value', code: 'NOT_INTEGER_FEN' })]);
    const extra = await publish({ ...valid, unit: 'yuan' });
    expect(extra.status).toBe(400);
    expect(extra.body.errors).toEqual([expect.objectContaining({ field: 'unit' })]);
    const audit = await env.db.query(`SELECT count(*)::int AS n FROM audit_log`);
    expect(audit.rows[0].n).toBe(0);
  });

  it('publishes a value for a future date: today keeps its value, the new one shows in the history, audited', async () => {
    const key = 'minimum-living.standard.urban';
    const todayBefore = await parameter(key);
    expect(todayBefore.inForce).toMatchObject({ value: 38000, validTo: null, origin: 'catalog' });

    const { status, body } = await publish(
      { key, value: 41000, validFrom: tomorrow, source: '乌鲁木齐市民政局通知', evidence: 'V', reason: 'new standard' },
      operator,
      'req-future-publish',
    );
    expect(status).toBe(201);
    expect(body.published).toMatchObject({
      value: 41000,
      validFrom: tomorrow,
      validTo: null,
      status: 'future',
      origin: 'operator',
      publishedBy: 'staff:u-operator',
      confirmed: true,
    });
    expect(body.closedId).toBe(todayBefore.inForce.id);

    const now = await parameter(key);
    expect(now.inForce).toMatchObject({ id: todayBefore.inForce.id, value: 38000, validTo: tomorrow });
    expect(now.history.map((v: any) => [v.value, v.status])).toEqual([
      [38000, 'in-force'],
      [41000, 'future'],
    ]);
    const then = await parameter(key, tomorrow);
    expect(then.inForce).toMatchObject({ value: 41000, validFrom: tomorrow });

    const audit = await env.db.query(`SELECT actor, actor_role, action, target, details, request_id FROM audit_log`);
    expect(audit.rows).toEqual([
      {
        actor: 'staff:u-operator',
        actor_role: 'operator',
        action: 'catalog.parameter.publish',
        target: `parameter:${key}`,
        details: expect.objectContaining({
          value: 41000,
          validFrom: tomorrow,
          reason: 'new standard',
          closedId: todayBefore.inForce.id,
        }),
        request_id: 'req-future-publish',
      },
    ]);
  });

  it('a correction for the same start supersedes the earlier value and keeps it in the history', async () => {
    const key = 'minimum-living.standard.urban';
    const { status, body } = await publish({
      key,
      value: 41500,
      validFrom: tomorrow,
      source: 'corrigendum',
      evidence: 'V',
      reason: 'typo',
    });
    expect(status).toBe(201);
    expect(body.supersededId).not.toBeNull();
    const history = (await parameter(key, tomorrow)).history;
    expect(history.map((v: any) => [v.value, v.status])).toEqual([
      [38000, 'past'],
      [41000, 'superseded'],
      [41500, 'in-force'],
    ]);
    expect(history[1].supersededBy).toBe(body.published.id);
  });

  it('a value published for today is in force at once, and the ETag of the answer changes', async () => {
    const key = 'rural-preschool.meal-subsidy';
    const first = await fetch(`${base}/v1/catalog/parameters?key=${key}`);
    const etag = first.headers.get('etag')!;
    expect(
      (await fetch(`${base}/v1/catalog/parameters?key=${key}`, { headers: { 'if-none-match': etag } })).status,
    ).toBe(304);

    const { status } = await publish({
      key,
      value: 120000,
      validFrom: today,
      source: 'city notice',
      evidence: 'S',
      reason: 'update',
    });
    expect(status).toBe(201);
    const now = await parameter(key);
    expect(now.inForce).toMatchObject({ value: 120000, validFrom: today, validTo: null });
    expect(now.history[0]).toMatchObject({ value: 100000, validTo: today, status: 'past' });
    const after = await fetch(`${base}/v1/catalog/parameters?key=${key}`, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
  });

  it('publishes a key defined without a seed value, resolves its alert, and reloads the gateway copy at once', async () => {
    const key = 'unemployment-benefit.minimum-wage';
    await raiseOperatorAlert(env.db, { kind: PARAMETER_NOT_IN_FORCE_ALERT, key, details: { caseId: 'c1' } });
    expect((await getJson(`${base}/v1/catalog/parameters?key=${key}`)).body.items).toEqual([]);

    const { status, body } = await publish({
      key,
      value: 190000,
      validFrom: today,
      source: '自治区最低工资标准通知',
      evidence: 'S',
      reason: 'first publication',
    });
    expect(status).toBe(201);
    expect(body.published).toMatchObject({ value: 190000, validFrom: today, confirmed: true });
    expect((await parameter(key)).itemCode).toBe('BPS-032');
    const alerts = await env.db.query(`SELECT resolved_at FROM operator_alerts WHERE kind = $1 AND key = $2`, [
      PARAMETER_NOT_IN_FORCE_ALERT,
      key,
    ]);
    expect(alerts.rows).toEqual([{ resolved_at: expect.any(Date) }]);
    const copy = app.get(PublishedParameters).current();
    expect(copy.find((p) => p.key === key)).toMatchObject({ value: 190000, validFrom: today, confirmed: true });
  });

  it('refuses a malformed date in the query', async () => {
    const { status, body } = await getJson(`${base}/v1/catalog/parameters?at=2025-02-30`);
    expect(status).toBe(400);
    expect(body.errors[0].field).toBe('at');
  });
});
