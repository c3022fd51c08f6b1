import { randomBytes } from 'node:crypto';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { SlaBoard } from '../../../apps/gateway/src/clocks/sla-board.js';
import { historyInstants } from '../../../apps/gateway/src/clocks/sla-history.js';
import { TaskReads } from '../../../apps/gateway/src/tasks/task-reads.js';
import { mintStaffToken } from '../../../scripts/mint-token.js';
import { getJson, listen } from '../../support/http.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

/** 天山区 燕儿窝街道, its district, and another district. */
const STREET = '650102002';
const DISTRICT = '650102';
const OTHER_DISTRICT = '650103';
const HOUR = 3_600_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}
/** Every node of a plan with its parent's type. */
const nodes = (n: PlanNode, parent = ''): (PlanNode & { parent: string })[] => [
  { ...n, parent },
  ...(n.Plans ?? []).flatMap((child) => nodes(child, n['Node Type'])),
];

/** The SQL a gateway service would run, captured instead of executed (the bench does the same). */
async function sqlOf(run: (dataSource: DataSource) => Promise<unknown>): Promise<{ sql: string; params: unknown[] }> {
  let captured: { sql: string; params: unknown[] } | undefined;
  const recorder = {
    query: (sql: string, params: unknown[] = []) => {
      captured ??= { sql, params };
      return Promise.resolve([]);
    },
  } as unknown as DataSource;
  await run(recorder);
  return captured!;
}

describe('review queries at scale: keyset inbox, SLA board from the running clocks, their indexes', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;
  let reviewer: string;
  let operator: string;
  const staff = { subject: 'r1', name: '测试', department: 'civil-affairs', level: 'street', divisions: [STREET] };

  const get = async (path: string, bearer: string) => {
    const response = await getJson(`${base}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    expect(response.status).toBe(200);
    return response.body;
  };

  async function aCase(division = STREET): Promise<string> {
    const {
      rows: [applicant],
    } = await env.db.query<{ id: string }>(
      `INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted) VALUES ($1, 'x', 'x') RETURNING id`,
      [randomBytes(16).toString('hex')],
    );
    const {
      rows: [row],
    } = await env.db.query<{ id: string }>(
      `INSERT INTO cases (tracking_number, item_code, procedure_id, machine_id, machine_version, status, applicant_id,
                          department_code, accepting_division, approving_division, application_encrypted)
       VALUES ('MS-R-' || nextval('case_tracking_seq'), 'BPS-064', 'minimum-living', 'minimum-living', 1, 'in-review',
               $1, 'civil-affairs', $2, $3, 'x') RETURNING id`,
      [applicant!.id, division, division.slice(0, 6)],
    );
    return row!.id;
  }

  async function aTask(caseId: string, step: string, dueAt: Date | null, level = 'street', division = STREET) {
    const { rows } = await env.db.query<{ id: string }>(
      `INSERT INTO tasks (case_id, step, kind, level, department_code, division_code, item_code, due_at)
       VALUES ($1, $2, 'review', $3, 'civil-affairs', $4, 'BPS-064', $5) RETURNING id`,
      [caseId, step, level, division, dueAt],
    );
    return rows[0]!.id;
  }

  /** A running clock as the engine writes it: no department or office given (the trigger places it). */
  async function aClock(caseId: string, clock: string, dueAt: Date | null, marks: Record<string, unknown> = {}) {
    const { rows } = await env.db.query<{ id: string }>(
      `INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, started_at, due_at, calendar_missing,
                                remind_at, reminded_at, breached_at, paused_at, stopped_at)
       VALUES ($1, $2, $3, 10, 'working-days', 'test', now() - interval '10 days', $4,
               CASE WHEN $4::timestamptz IS NULL THEN 'national/2027' END, $5, $6, $7, $8, $9) RETURNING id`,
      [
        caseId,
        clock,
        marks['kind'] ?? 'deadline',
        dueAt,
        marks['remindAt'] ?? null,
        marks['remindedAt'] ?? null,
        marks['breachedAt'] ?? null,
        marks['pausedAt'] ?? null,
        marks['stoppedAt'] ?? null,
      ],
    );
    return rows[0]!.id;
  }

  /** The plan's scans with sequential scans disabled: what the planner does once the tables are big. */
  async function planOf(query: { sql: string; params: unknown[] }) {
    const client = await env.db.connect();
    try {
      // The plan as autovacuum leaves it in service (visibility map set, statistics current). Without this the
      // planner's choice between an index scan and an index-only scan depends on whether autovacuum happened to run.
      await client.query('VACUUM (ANALYZE) case_clocks, cases, tasks');
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${query.sql}`, query.params);
      return nodes(rows[0]['QUERY PLAN'][0].Plan).filter((n) => n['Relation Name'] !== undefined);
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  }

  beforeAll(async () => {
    env = await createTestEnvironment('review queries');
    app = await createGateway(env.config);
    base = await listen(app);
    reviewer = await mintStaffToken({ ...staff, sub: staff.subject, roles: ['reviewer'] }, env.env);
    operator = await mintStaffToken(
      {
        sub: 'op',
        name: '运维',
        department: 'civil-affairs',
        level: 'city',
        divisions: ['650100'],
        roles: ['operator'],
      },
      env.env,
    );
  });
  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  describe('GET /v1/tasks', () => {
    it('pages in due order, ties by id, tasks without a due time last, with no repeat or gap', async () => {
      const due = new Date(env.clock.now().getTime() + 48 * HOUR);
      const [a, b] = [await aCase(), await aCase()];
      const tasks = {
        tieA: await aTask(a, 's1', due),
        tieB: await aTask(b, 's1', due),
        earliest: await aTask(a, 's2', new Date(due.getTime() - HOUR)),
        noDueA: await aTask(a, 's3', null),
        noDueB: await aTask(b, 's3', null),
        latest: await aTask(b, 's2', new Date(due.getTime() + HOUR)),
      };
      const byId = (x: string, y: string) => (x < y ? [x, y] : [y, x]);
      const expected = [
        tasks.earliest,
        ...byId(tasks.tieA, tasks.tieB),
        tasks.latest,
        ...byId(tasks.noDueA, tasks.noDueB),
      ];

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { id: string }[]; nextCursor: string | null } = await get(
          `/v1/tasks?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          reviewer,
        );
        seen.push(...page.items.map((t) => t.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);

      // The due filters are ranges of the same key: no due time is never overdue.
      const overdueFalse = await get('/v1/tasks?overdue=false&limit=10', reviewer);
      expect(overdueFalse.items.map((t: { id: string }) => t.id)).toEqual(expected);
      const before = await get(`/v1/tasks?dueBefore=${encodeURIComponent(due.toISOString())}`, reviewer);
      expect(before.items.map((t: { id: string }) => t.id)).toEqual([tasks.earliest]);
    });

    it('reads a page, first or next, as a range of IDX_tasks_inbox_keyset', async () => {
      const reads = (ds: DataSource) => new TaskReads(ds, null as never, env.clock);
      const first = await sqlOf((ds) => reads(ds).inbox(staff as never, { limit: 50 }));
      const cursor = Buffer.from(JSON.stringify({ dueAt: null, id: '00000000-0000-0000-0000-000000000000' }));
      const next = await sqlOf((ds) =>
        reads(ds).inbox(staff as never, { limit: 50, overdue: 'false', cursor: cursor.toString('base64url') }),
      );
      for (const query of [first, next]) {
        const tasks = (await planOf(query)).filter((n) => n['Relation Name'] === 'tasks');
        // One scan of the index, in its order: the page's LIMIT stops it, no sort of the office's backlog.
        expect(tasks.map((n) => [n['Node Type'], n['Index Name'], n.parent])).toEqual([
          ['Index Scan', 'IDX_tasks_inbox_keyset', 'Limit'],
        ]);
      }
      // The cursor and the due filter are bounds of the index range, not filters on the rows read.
      const [range] = (await planOf(next)).filter((n) => n['Relation Name'] === 'tasks');
      expect(range!['Index Cond']).toMatch(/ROW\(COALESCE\(due_at, .*\), id\) > ROW\(/);
      // `overdue=false`: due after the business clock's now, a parameter (docs/time.md).
      expect(range!['Index Cond']).toMatch(/COALESCE\(due_at, [^)]*\) > '[^']+'::timestamp with time zone\)/);
    });
  });

  describe('GET /v1/ops/sla', () => {
    it('counts late, at-risk and calendar-missing clocks by the office their step is worked in', async () => {
      const now = env.clock.now().getTime();
      // Late at the street: its step task opened first, then the clock (the trigger reads the task).
      const late = await aCase();
      await aTask(late, 'review', null);
      await aClock(late, 'review', new Date(now - 2 * HOUR));
      // The overall clock follows the case to the district's approval task opened after it started.
      const moved = await aCase();
      await aClock(moved, 'overall', new Date(now - HOUR));
      await aTask(moved, 'approval', null, 'district', DISTRICT);
      // At risk: no reminder instant computed, due within two days; and one reminded, due far ahead.
      const soon = await aCase();
      await aClock(soon, 'review', new Date(now + 24 * HOUR));
      const reminded = await aCase();
      await aClock(reminded, 'review', new Date(now + 30 * 24 * HOUR), { remindedAt: new Date(now - HOUR) });
      // Without a due time (2027 not published): counted apart, never late.
      const waiting = await aCase();
      await aClock(waiting, 'review', null);
      // Not on the board: on time, paused, stopped, a waiting period past its end, another district's office.
      const quiet = await aCase();
      await aClock(quiet, 'review', new Date(now + 10 * 24 * HOUR), { remindAt: new Date(now + 8 * 24 * HOUR) });
      await aClock(quiet, 'paused', new Date(now - HOUR), { pausedAt: new Date(now - 2 * HOUR) });
      await aClock(quiet, 'stopped', new Date(now - HOUR), { stoppedAt: new Date(now - 2 * HOUR) });
      await aClock(quiet, 'public-notice', new Date(now - HOUR), { kind: 'period' });
      const elsewhere = await aCase('650103001');
      await aClock(elsewhere, 'review', new Date(now - HOUR / 2));

      const board = await get('/v1/ops/sla', operator);
      expect(board.totals).toEqual({ late: 3, atRisk: 2 });
      const office = (code: string) =>
        board.offices.find((o: { office: { divisionCode: string } }) => o.office.divisionCode === code);
      expect(office(STREET)).toMatchObject({
        department: 'civil-affairs',
        late: { count: 1 },
        atRisk: { count: 2 },
        calendarMissing: 1,
      });
      expect(office(STREET).late.longestOverdueSeconds).toBeGreaterThan(7000);
      expect(office(STREET).atRisk.shortestTimeToBreachSeconds).toBeLessThanOrEqual(24 * 3600);
      expect(office(DISTRICT)).toMatchObject({ late: { count: 1 }, atRisk: { count: 0 }, calendarMissing: 0 });
      expect(office('650103001')).toMatchObject({ late: { count: 1 } });
      const states = board.steps.map((s: { caseId: string; state: string; office: string }) => [
        s.caseId,
        s.state,
        s.office,
      ]);
      expect(states).toEqual([
        [late, 'late', STREET],
        [moved, 'late', DISTRICT],
        [elsewhere, 'late', '650103001'],
        [soon, 'at-risk', STREET],
        [reminded, 'at-risk', STREET],
      ]);

      // A supervisor of the other district sees only its own office.
      const supervisor = await mintStaffToken(
        {
          sub: 's2',
          name: '督办',
          department: 'civil-affairs',
          level: 'district',
          divisions: [OTHER_DISTRICT],
          roles: ['supervisor'],
        },
        env.env,
      );
      const scoped = await get('/v1/ops/sla', supervisor);
      expect(scoped.totals).toEqual({ late: 1, atRisk: 0 });
      expect(scoped.steps.map((s: { caseId: string }) => s.caseId)).toEqual([elsewhere]);
    });

    it('reads the board from IDX_case_clocks_board alone, and cases only for the steps it lists', async () => {
      const board = await sqlOf((ds) =>
        new SlaBoard(ds, env.clock).read({ ...staff, roles: ['operator'] } as never, { limit: 100 }),
      );
      const scans = (await planOf(board)).map(
        (n) => `${n['Node Type']} ${n['Index Name'] ?? '-'} ${n['Relation Name']}`,
      );
      expect(scans.filter((s) => s.endsWith(' case_clocks'))).toEqual([
        'Index Only Scan IDX_case_clocks_board case_clocks',
        'Index Only Scan IDX_case_clocks_board case_clocks',
      ]);
      expect(scans.filter((s) => s.endsWith(' cases'))).toEqual(['Index Scan PK_cases cases']);
      expect(scans.some((s) => s.endsWith(' tasks'))).toBe(false);
    });
  });

  // Last in this file: its clocks would count on the board above.
  describe('GET /v1/ops/sla/history', () => {
    it('counts late and at-risk clocks per office at the end of each recent day and now', async () => {
      const OFFICE = '650105001';
      const now = env.clock.now();
      const days = 7;
      const instants = historyInstants(now, days);
      // The end of yesterday (China Standard Time) is the start of today: the point before the last.
      const S = instants[days - 2]!.getTime();
      const DAY = 24 * HOUR;
      const clockAt = async (
        times: { started: number; due: number; stopped?: number; remind?: number },
        kind = 'deadline',
      ) => {
        const caseId = await aCase(OFFICE);
        await env.db.query(
          `INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, started_at, due_at, remind_at,
                                    stopped_at)
           VALUES ($1, 'review', $2, 10, 'working-days', 'test', $3, $4, $5, $6)`,
          [
            caseId,
            kind,
            new Date(times.started),
            new Date(times.due),
            times.remind === undefined ? null : new Date(times.remind),
            times.stopped === undefined ? null : new Date(times.stopped),
          ],
        );
      };
      // A: at risk two days before its due date (no reminder instant stored: 48 hours), late after it.
      await clockAt({ started: S - 10 * DAY, due: S - 2.5 * DAY });
      // C: late from S-4.5d, stopped at S-1.5d.
      await clockAt({ started: S - 10 * DAY, due: S - 4.5 * DAY, stopped: S - 1.5 * DAY });
      // B: reminded from now on, due in three days.
      await clockAt({ started: S - 10 * DAY, due: now.getTime() + 3 * DAY, remind: now.getTime() });
      // A waiting period past its end is not a deadline: never counted.
      await clockAt({ started: S - 10 * DAY, due: S - 3 * DAY }, 'waiting');

      const history = await get(`/v1/ops/sla/history?days=${days}`, operator);
      // The end of each past day; the last point is the server's now (the business clock has moved on a little).
      const ats = history.points.map((p: { at: string }) => p.at);
      expect(ats.slice(0, -1)).toEqual(instants.slice(0, -1).map((at) => at.toISOString()));
      expect(new Date(ats[days - 1]).getTime()).toBeGreaterThanOrEqual(now.getTime());
      const index = history.offices.findIndex(
        (o: { office: { divisionCode: string } }) => o.office.divisionCode === OFFICE,
      );
      expect(index).toBeGreaterThanOrEqual(0);
      const series = history.points.map((p: { late: number[]; atRisk: number[] }) => [p.late[index], p.atRisk[index]]);
      // S-5d: C at risk; S-4d, S-3d: C late, A at risk; S-2d: both late; S-1d: C stopped; now: A late, B at risk.
      expect(series.slice(0, 5)).toEqual([
        [0, 1],
        [1, 1],
        [1, 1],
        [2, 0],
        [1, 0],
      ]);
      expect(series[5][0]).toBe(1);
      expect(series[6]).toEqual([1, 1]);
      // The last point counts as the board does now.
      const board = await get('/v1/ops/sla', operator);
      const onBoard = board.offices.find((o: { office: { divisionCode: string } }) => o.office.divisionCode === OFFICE);
      expect([onBoard.late.count, onBoard.atRisk.count]).toEqual(series[6]);

      const bad = await getJson(`${base}/v1/ops/sla/history?days=1`, {
        headers: { authorization: `Bearer ${operator}` },
      });
      expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'days']);
      const forbidden = await getJson(`${base}/v1/ops/sla/history`, {
        headers: { authorization: `Bearer ${reviewer}` },
      });
      expect(forbidden.status).toBe(403);
    });
  });
});
