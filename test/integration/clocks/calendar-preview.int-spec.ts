import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { OFFICIAL_CALENDARS } from '@minsheng/domain';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { mintStaffToken } from '../../../scripts/mint-token.js';
import { getJson, listen } from '../../support/http.js';
import { runQueuedRecomputations } from '../../support/calendar-recomputations.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenClocks } from './given-clocks.js';

/** 10:00 on Mon 15 Sep 2025 in Urumqi: 30 working days in Xinjiang end on Fri 31 Oct 2025. */
const STARTED = new Date('2025-09-15T02:00:00Z');

describe('POST /v1/calendar/{year}/preview: the clocks a publication would move, before it is made', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;
  let operator: string;
  let reviewer: string;

  const xinjiang2025 = OFFICIAL_CALENDARS.find((c) => c.region === 'xinjiang' && c.year === 2025)!;
  const { year: _year, version: _version, provisional: _provisional, ...layer } = xinjiang2025;
  /** A correction: Mon 20 Oct 2025 made a rest day, so a 30-working-day count across it ends a working day later. */
  const correction = { ...layer, holidays: [...layer.holidays, { date: '2025-10-20', name: '测试更正休息日' }] };
  const send = (method: 'POST' | 'PUT', path: string, body: unknown, bearer: string) =>
    getJson(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify(body),
    });
  const writes = async () =>
    (
      await env.db.query<{ calendars: number; recomputations: number; generations: number; events: number }>(
        `SELECT (SELECT count(*)::int FROM calendars) AS calendars,
                (SELECT count(*)::int FROM calendar_recomputations) AS recomputations,
                (SELECT coalesce(sum(generation), 0)::int FROM case_clocks) AS generations,
                (SELECT count(*)::int FROM case_events) AS events`,
      )
    ).rows[0];

  beforeAll(async () => {
    env = await createTestEnvironment('calendar preview');
    app = await createGateway(env.config);
    base = await listen(app);
    const token = (roles: string[]) =>
      mintStaffToken(
        {
          sub: `u-${roles[0]}`,
          name: '测试',
          department: 'civil-affairs',
          level: 'city',
          divisions: ['650100'],
          roles,
        },
        env.env,
      );
    operator = await token(['operator']);
    reviewer = await token(['reviewer']);
    const the = givenClocks(env.db, env.clock);
    // Two running clocks across 20 Oct 2025 and one stopped before it (not a candidate).
    for (const amount of [30, 45]) await the.clockOf(await the.caseAt(), { amount, startedAt: STARTED });
    const stopped = await the.clockOf(await the.caseAt(), { amount: 30, startedAt: STARTED });
    await env.db.query(`UPDATE case_clocks SET stopped_at = $2 WHERE id = $1`, [stopped.id, STARTED]);
  });
  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  it('counts the running clocks a correction would move, writes nothing, and agrees with the recomputation', async () => {
    const before = await writes();
    const { status, body } = await send('POST', '/v1/calendar/2025/preview', correction, operator);
    expect(status).toBe(200);
    expect(body).toEqual({
      region: 'xinjiang',
      year: 2025,
      version: 2,
      status: 'official',
      clocks: { candidates: 2, moved: 2, dueDateGiven: 0, stillMissing: 0 },
    });
    expect(await writes()).toEqual(before);

    // The same layer again changes nothing: previewed as version 2, no clock would move.
    const same = await send('POST', '/v1/calendar/2025/preview', layer, operator);
    expect(same.body).toMatchObject({ version: 2, clocks: { candidates: 2, moved: 0 } });

    // Published, the worker's recomputation moves what the preview said it would.
    expect((await send('PUT', '/v1/calendar/2025', correction, operator)).status).toBe(200);
    const [outcome] = await runQueuedRecomputations(app, env.clock);
    expect(outcome).toMatchObject({ recomputation: { total: 2, changed: 2, failed: 0 } });
    // And previewing it once more now finds nothing left to move.
    const after = await send('POST', '/v1/calendar/2025/preview', correction, operator);
    expect(after.body).toMatchObject({ version: 3, clocks: { candidates: 2, moved: 0 } });
  });

  it('refuses a bad layer as publishing would (400 naming the field), a reviewer (403), and writes nothing', async () => {
    const before = await writes();
    const bad = await send('POST', '/v1/calendar/2025/preview', { ...correction, status: 'draft' }, operator);
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field ?? JSON.stringify(bad.body)).toContain('status');
    const outside = await send(
      'POST',
      '/v1/calendar/2025/preview',
      { ...correction, holidays: [{ date: '2026-01-01', name: '元旦' }] },
      operator,
    );
    expect(outside.status).toBe(400);
    expect((await send('POST', '/v1/calendar/2025/preview', correction, reviewer)).status).toBe(403);
    expect(await writes()).toEqual(before);
  });
});
