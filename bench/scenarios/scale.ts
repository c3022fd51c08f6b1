import type { Pool } from 'pg';
import type { BenchContext, Scenario } from '../support/context.js';
import { happyPathSteps } from '../support/minimum-living-path.js';
import { log } from '../support/progress.js';
import { seedCases, STREETS } from '../support/seed.js';
import { distribution, now } from '../support/stats.js';
import { findReviewQueries } from './review-queries.js';

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

/** The scan nodes of a plan, `Index Scan using IDX_tasks_inbox on tasks`, and whether a large table is read whole. */
async function explain(db: Pool, { sql, params }: Query): Promise<{ plan: string; usesIndex: boolean }> {
  const { rows } = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  const nodes = planNodes(rows[0]!['QUERY PLAN'][0].Plan).filter((n) => n['Relation Name'] !== undefined);
  const plan = nodes
    .map((n) => `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''} on ${n['Relation Name']}`)
    .join('; ');
  const seqOnBig = nodes.some(
    (n) => n['Node Type'] === 'Seq Scan' && ['tasks', 'cases', 'case_clocks'].includes(n['Relation Name']!),
  );
  return { plan, usesIndex: !seqOnBig && nodes.some((n) => n['Index Name'] !== undefined) };
}

interface Query {
  readonly sql: string;
  readonly params: unknown[];
}

async function time(db: Pool, count: number, queryFor: (i: number) => Query) {
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

/**
 * Many cases seeded by SQL (70 % closed history, 30 % open with an open task and a running clock), then the
 * reviewer inbox and the SLA board timed one query at a time, with their EXPLAIN plans checked for index use.
 */
export const scaleScenario: Scenario = {
  id: 'scale',
  title: 'Scale: inbox and SLA board over many cases',
  async run(ctx: BenchContext) {
    const total = ctx.sizes.scaleCases;
    const steps = happyPathSteps();
    // Open cases wait at a reviewer's step; the approval step is the district's, the others the street's.
    const states = (
      [
        [1, 'acceptance'],
        [2, 'investigation'],
        [3, 'street-review'],
        [5, 'approval'],
      ] as const
    ).map(([i, step]) => ({ snapshot: steps[i]!.before, status: steps[i]!.status, currentSteps: [step] }));
    const seedStarted = now();
    await seedCases(ctx.db, {
      tag: 'scale',
      count: total,
      states,
      closedFraction: 0.7,
      withTasks: true,
      withClocks: true,
      progressLabel: 'scale: seeding cases, tasks and clocks',
    });
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

    const queries = await findReviewQueries();
    const districts = [...new Set(STREETS.map((s) => s.district))];
    // Four in five reviewers sit in a street office; the rest approve in a district bureau.
    const scopeOf = (i: number) =>
      i % 5 === 4
        ? {
            department: 'civil-affairs',
            level: 'district',
            divisions: [districts[i % districts.length]!],
            roles: ['reviewer'],
          }
        : {
            department: 'civil-affairs',
            level: 'street',
            divisions: [STREETS[(i * 7) % STREETS.length]!.street],
            roles: ['reviewer'],
          };
    const inboxQueries = await Promise.all(Array.from({ length: 50 }, (_, i) => queries.inbox.build(scopeOf(i))));
    const inbox = await time(ctx.db, ctx.sizes.scaleQueries, (i) => inboxQueries[i % inboxQueries.length]!);
    const inboxPlan = await explain(ctx.db, inboxQueries[0]!);
    // The board as a district bureau sees it (its department, its district's offices).
    const boardQuery = await queries.board.build({
      department: 'civil-affairs',
      level: 'district',
      divisions: [districts[0]!],
      roles: ['reviewer'],
    });
    const board = await time(ctx.db, Math.ceil(ctx.sizes.scaleQueries / 10), () => boardQuery);
    const boardPlan = await explain(ctx.db, boardQuery);

    ctx.metrics.set('scale.inboxP99', inbox.p99);
    ctx.metrics.set('scale.boardP99', board.p99);
    const scope = `${total.toLocaleString('en-US')} cases`;
    ctx.record({ metric: `inbox p50 (${scope})`, value: inbox.p50, unit: 'ms', note: queries.inbox.source });
    ctx.record({ metric: `inbox p99 (${scope})`, value: inbox.p99, unit: 'ms' });
    ctx.record({
      metric: 'inbox plan',
      value: null,
      unit: '',
      note: `${inboxPlan.usesIndex ? 'index' : 'NO INDEX'}: ${inboxPlan.plan}`,
    });
    ctx.record({ metric: `SLA board p50 (${scope})`, value: board.p50, unit: 'ms', note: queries.board.source });
    ctx.record({ metric: `SLA board p99 (${scope})`, value: board.p99, unit: 'ms' });
    ctx.record({
      metric: 'SLA board plan',
      value: null,
      unit: '',
      note: `${boardPlan.usesIndex ? 'index' : 'NO INDEX'}: ${boardPlan.plan}`,
    });
    log(`inbox p99 ${inbox.p99.toFixed(2)} ms (${inboxPlan.plan}); board p99 ${board.p99.toFixed(2)} ms`);
  },
};
