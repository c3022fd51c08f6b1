import type { Pool } from 'pg';
import { applicationItems, URUMQI_CITY_CODE } from '@minsheng/domain';
import type { BenchContext, Scenario } from '../support/context.js';
import { happyPathSteps } from '../support/minimum-living-path.js';
import { log } from '../support/progress.js';
import { seedCases, STREETS, type SeedItem, type SeedOptions } from '../support/seed.js';
import { distribution, now, type Distribution } from '../support/stats.js';
import { findReviewQueries, inboxCursor, type Query, type Scope } from './review-queries.js';

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly 'Shared Hit Blocks'?: number;
  readonly 'Shared Read Blocks'?: number;
  readonly Plans?: readonly PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

const BIG_TABLES = ['tasks', 'cases', 'case_clocks'];

export interface PlanCheck {
  /** The scan nodes, e.g. `Index Scan using IDX_tasks_inbox_keyset on tasks ×1`. */
  readonly scans: string;
  /** Big tables read whole: a plan that does this does not scale and is flagged in the row's note. */
  readonly seqScans: readonly string[];
  readonly buffers: number;
  readonly ms: number;
  readonly note: string;
}

/** EXPLAIN (ANALYZE, BUFFERS) of one query: its scans, whether a big table is read whole, the buffers touched. */
export async function explain(db: Pool, { sql, params }: Query): Promise<PlanCheck> {
  const { rows } = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
    params,
  );
  const [{ Plan: root, 'Execution Time': ms }] = rows[0]!['QUERY PLAN'];
  const counts = new Map<string, number>();
  for (const n of planNodes(root).filter((n) => n['Relation Name'] !== undefined)) {
    const scan = `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''} on ${n['Relation Name']}`;
    counts.set(scan, (counts.get(scan) ?? 0) + 1);
  }
  const scans = [...counts].map(([scan, n]) => (n > 1 ? `${scan} ×${n}` : scan)).join('; ');
  const seqScans = planNodes(root)
    .filter((n) => n['Node Type'] === 'Seq Scan' && BIG_TABLES.includes(n['Relation Name'] ?? ''))
    .map((n) => n['Relation Name']!);
  const buffers = (root['Shared Hit Blocks'] ?? 0) + (root['Shared Read Blocks'] ?? 0);
  const verdict = seqScans.length > 0 ? `SEQ SCAN on ${seqScans.join(', ')}` : 'indexes only';
  return {
    scans,
    seqScans,
    buffers,
    ms,
    note: `${verdict}: ${scans}; ${buffers.toLocaleString('en-US')} buffers, ${ms.toFixed(1)} ms`,
  };
}

async function time(db: Pool, count: number, queryFor: (i: number) => Query): Promise<Distribution> {
  // Warm the cache and the plan first: the figure is the steady state a reviewer sees, not the first read from disk.
  for (let i = 0; i < Math.min(20, count); i += 1) await db.query(queryFor(i).sql, queryFor(i).params);
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const { sql, params } = queryFor(i);
    const t0 = now();
    await db.query(sql, params);
    samples.push(now() - t0);
  }
  return distribution(samples);
}

/** The catalog's application items, routed as intake routes them (community → street office, school → district). */
function seedItems(): SeedItem[] {
  return applicationItems().map((item) => {
    const accepting = item.acceptingLevel?.value;
    return {
      code: item.code,
      department: item.leadDepartment.value,
      accepting:
        accepting === 'district' || accepting === 'institution' ? 'district' : accepting === 'city' ? 'city' : 'street',
      approving: item.approvingLevel?.value === 'city' ? 'city' : 'district',
    };
  });
}

/**
 * Real load rather than a grid: 85 % of cases closed; open cases over the 38 application items (11 departments),
 * 130 street offices (skewed: a few busy ones), 8 district bureaus and the city; open tasks at the street, district
 * or city level by step and item; running overall and step clocks (a few paused for the applicant's material, a
 * few in a public notice, a few waiting for an unpublished calendar year), about 3 % of steps late and 7 % at risk.
 */
export function scaleSeed(count: number): SeedOptions {
  const steps = happyPathSteps();
  // Open cases wait at a reviewer's step: acceptance, investigation, street review (street) or approval (district).
  const states = (
    [
      [1, 'acceptance'],
      [2, 'investigation'],
      [3, 'street-review'],
      [5, 'approval'],
    ] as const
  ).map(([i, step]) => ({ snapshot: steps[i]!.before, status: steps[i]!.status, currentSteps: [step] }));
  return {
    tag: 'scale',
    count,
    states,
    items: seedItems(),
    closedFraction: 0.85,
    pausedFraction: 0.04,
    noticeFraction: 0.03,
    calendarMissingFraction: 0.002,
    claimedFraction: 0.3,
    withTasks: true,
    withClocks: true,
    stepClocks: true,
    progressLabel: 'scale: seeding cases, tasks and clocks',
  };
}

type Recorder = Pick<BenchContext, 'db' | 'sizes' | 'metrics' | 'record'>;

/**
 * The reviewer inbox (first pages and next pages of 50 offices, from the busiest down, and the overdue filter) and
 * the SLA board (an operator's, a district supervisor's) timed one query at a time, each plan checked.
 */
export async function measureReviewQueries(ctx: Recorder, total: number): Promise<void> {
  const queries = await findReviewQueries();
  const { rows: offices } = await ctx.db.query<{ department: string; level: string; division: string; open: number }>(
    `SELECT department_code AS department, level, division_code AS division, count(*)::int AS open
     FROM tasks WHERE closed_at IS NULL GROUP BY 1, 2, 3 ORDER BY open DESC, 1, 2, 3`,
  );
  // The ten busiest offices, then forty spread over the rest: a p99 that includes the longest backlogs.
  const picked = [
    ...offices.slice(0, 10),
    ...Array.from({ length: 40 }, (_, i) => offices[10 + Math.floor((i * (offices.length - 10)) / 40)]),
  ].filter((o): o is (typeof offices)[number] => o !== undefined);
  const scopes: Scope[] = picked.map((o) => ({
    department: o.department,
    level: o.level,
    divisions: [o.division],
    roles: ['reviewer'],
  }));
  const firstPages = await Promise.all(scopes.map((s) => queries.inbox(s)));
  const nextPages: Query[] = [];
  for (const [i, first] of firstPages.entries()) {
    const { rows } = await ctx.db.query<{ id: string; due_at: Date | null }>(first.sql, first.params);
    const last = rows[49];
    if (last) nextPages.push(await queries.inbox(scopes[i]!, { cursor: inboxCursor(last.due_at, last.id) }));
  }
  const pages = [...firstPages, ...nextPages];
  const overdue = await Promise.all(scopes.map((s) => queries.inbox(s, { overdue: 'true' })));
  const inbox = await time(ctx.db, ctx.sizes.scaleQueries, (i) => pages[i % pages.length]!);
  const inboxOverdue = await time(ctx.db, Math.ceil(ctx.sizes.scaleQueries / 4), (i) => overdue[i % overdue.length]!);
  const busiest = picked[0]!;
  const inboxPlan = await explain(ctx.db, firstPages[0]!);
  const nextPlan = nextPages[0] ? await explain(ctx.db, nextPages[0]) : null;

  const operator = await queries.board({
    department: 'civil-affairs',
    level: 'city',
    divisions: [URUMQI_CITY_CODE],
    roles: ['operator'],
  });
  const district = STREETS[0]!.district;
  const supervisor = await queries.board({
    department: 'civil-affairs',
    level: 'district',
    divisions: [district],
    roles: ['supervisor'],
  });
  const boardSamples = Math.ceil(ctx.sizes.scaleQueries / 5);
  const board = await time(ctx.db, boardSamples, () => operator);
  const boardDistrict = await time(ctx.db, boardSamples, () => supervisor);
  const boardPlan = await explain(ctx.db, operator);
  const districtPlan = await explain(ctx.db, supervisor);
  const { rows: boardRows } = await ctx.db.query<{ row_kind: string; late: number; at_risk: number }>(
    operator.sql,
    operator.params,
  );
  const offices_ = boardRows.filter((r) => r.row_kind === 'office');
  const sum = (f: (r: (typeof offices_)[number]) => number) => offices_.reduce((s, r) => s + f(r), 0);

  ctx.metrics.set('scale.inboxP99', inbox.p99);
  ctx.metrics.set('scale.boardP99', board.p99);
  const scope = `${total.toLocaleString('en-US')} cases`;
  const ms = (d: Distribution) => `p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms`;
  ctx.record({
    metric: `inbox p50 (${scope})`,
    value: inbox.p50,
    unit: 'ms',
    note: `${queries.inboxSource}; first and next pages of ${scopes.length} offices, the busiest with ${busiest.open.toLocaleString('en-US')} open tasks`,
  });
  ctx.record({ metric: `inbox p99 (${scope})`, value: inbox.p99, unit: 'ms' });
  ctx.record({
    metric: `inbox overdue=true p99 (${scope})`,
    value: inboxOverdue.p99,
    unit: 'ms',
    note: ms(inboxOverdue),
  });
  ctx.record({ metric: 'inbox plan (busiest office)', value: null, unit: '', note: inboxPlan.note });
  if (nextPlan) ctx.record({ metric: 'inbox plan (next page)', value: null, unit: '', note: nextPlan.note });
  ctx.record({
    metric: `SLA board p50 (${scope})`,
    value: board.p50,
    unit: 'ms',
    note: `${queries.boardSource}, operator: ${sum((r) => r.late)} late, ${sum((r) => r.at_risk)} at risk in ${offices_.length} offices`,
  });
  ctx.record({ metric: `SLA board p99 (${scope})`, value: board.p99, unit: 'ms' });
  ctx.record({ metric: 'SLA board plan (operator)', value: null, unit: '', note: boardPlan.note });
  ctx.record({
    metric: `SLA board, district supervisor p99 (${scope})`,
    value: boardDistrict.p99,
    unit: 'ms',
    note: ms(boardDistrict),
  });
  ctx.record({ metric: 'SLA board plan (district supervisor)', value: null, unit: '', note: districtPlan.note });
  log(`inbox ${ms(inbox)} (${inboxPlan.note})`);
  log(`SLA board ${ms(board)} (${boardPlan.note})`);
}

/**
 * Many cases seeded by SQL (see `scaleSeed`), then the reviewer inbox and the SLA board timed one query at a time,
 * with their EXPLAIN (ANALYZE, BUFFERS) plans checked: a sequential scan of cases, tasks or clocks is flagged in
 * the plan row's note (the run goes on).
 */
export const scaleScenario: Scenario = {
  id: 'scale',
  title: 'Scale: inbox and SLA board over many cases',
  queues: 'none',
  async run(ctx: BenchContext) {
    const total = ctx.sizes.scaleCases;
    const seedStarted = now();
    await seedCases(ctx.db, scaleSeed(total));
    const seedSeconds = (now() - seedStarted) / 1000;
    const counts = await ctx.db.query<{ cases: string; open_tasks: string; running: string }>(
      `SELECT (SELECT count(*) FROM cases) AS cases,
              (SELECT count(*) FROM tasks WHERE closed_at IS NULL) AS open_tasks,
              (SELECT count(*) FROM case_clocks WHERE stopped_at IS NULL) AS running`,
    );
    const c = counts.rows[0]!;
    ctx.record({
      metric: 'seeded by SQL',
      value: seedSeconds,
      unit: 's',
      note: `${Number(c.cases).toLocaleString('en-US')} cases, ${Number(c.open_tasks).toLocaleString('en-US')} open tasks, ${Number(c.running).toLocaleString('en-US')} running clocks`,
    });
    await measureReviewQueries(ctx, total);
  },
};
