import type pg from 'pg';
import { draftCalendarYear, ManualClock } from '../../../libs/domain/src/index.js';
import { type Queryable, publishDevelopmentDraftYear } from '../../../libs/infra/src/index.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

/** `npm start` in development publishes next year's draft as provisional; nothing else ever does by itself. */
describe('publishDevelopmentDraftYear (npm start in development)', () => {
  let env: TestEnvironment;
  // 1 Mar 2029 in Urumqi: next year, 2030, has no calendar (nothing after 2026 is shipped).
  const clock = new ManualClock(new Date('2029-03-01T10:00:00+08:00'));

  beforeAll(async () => {
    env = await createTestEnvironment('development calendars');
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** Runs `work` in one transaction, as start.ts does. */
  async function inTransaction<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    const client: pg.PoolClient = await env.db.connect();
    try {
      await client.query('BEGIN');
      const result = await work({ query: async (sql, values) => (await client.query(sql, values)).rows });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  const rowsOf = async (year: number) =>
    (
      await env.db.query(
        `SELECT region, version, published_by, source, body->>'provisional' AS provisional FROM calendars
         WHERE year = $1 ORDER BY region, version`,
        [year],
      )
    ).rows;

  it.each(['production', 'test'] as const)('does nothing under NODE_ENV=%s', async (nodeEnv) => {
    expect(await inTransaction((q) => publishDevelopmentDraftYear(q, clock, nodeEnv))).toEqual({
      outcome: 'skipped',
      reason: 'not-development',
    });
    expect(await rowsOf(2030)).toEqual([]);
  });

  it('publishes the drafted next year as provisional in development, recorded as the development start', async () => {
    expect(await inTransaction((q) => publishDevelopmentDraftYear(q, clock, 'development'))).toEqual({
      outcome: 'published',
      year: 2030,
      regions: ['national', 'xinjiang'],
    });
    expect(await rowsOf(2030)).toEqual(
      ['national', 'xinjiang'].map((region) => ({
        region,
        version: 1,
        published_by: 'system:development-start',
        source: 'development-start',
        provisional: 'true',
      })),
    );
    const { rows } = await env.db.query(`SELECT body FROM calendars WHERE year = 2030 AND region = 'national'`);
    expect(rows[0].body.holidays).toEqual(draftCalendarYear(2030).national.holidays);
    const { rows: audit } = await env.db.query(
      `SELECT actor, actor_role, target, details->>'status' AS status FROM audit_log WHERE action = 'calendar.publish'
       ORDER BY id`,
    );
    expect(audit).toEqual([
      {
        actor: 'system:development-start',
        actor_role: 'system',
        target: 'calendar:national/2030',
        status: 'provisional',
      },
      {
        actor: 'system:development-start',
        actor_role: 'system',
        target: 'calendar:xinjiang/2030',
        status: 'provisional',
      },
    ]);
  });

  it('is a no-op when the year has its layers, and publishes only a missing one', async () => {
    expect(await inTransaction((q) => publishDevelopmentDraftYear(q, clock, 'development'))).toEqual({
      outcome: 'already-published',
      year: 2030,
    });
    expect(await rowsOf(2030)).toHaveLength(2);

    // A year with its national layer entered by an operator: only the Xinjiang draft is added.
    await env.db.query(
      `INSERT INTO calendars (region, year, version, body, published_by, source)
       SELECT region, 2031, 1, body || jsonb_build_object('year', 2031, 'holidays', '[]'::jsonb), 'staff:op', 'operator'
       FROM calendars WHERE region = 'national' AND year = 2030`,
    );
    clock.advanceTo(new Date('2030-02-01T10:00:00+08:00'));
    expect(await inTransaction((q) => publishDevelopmentDraftYear(q, clock, 'development'))).toEqual({
      outcome: 'published',
      year: 2031,
      regions: ['xinjiang'],
    });
    expect((await rowsOf(2031)).map((r) => `${r.region}:${r.published_by}`)).toEqual([
      'national:staff:op',
      'xinjiang:system:development-start',
    ]);
  });
});
