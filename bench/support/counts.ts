import { createConnection } from 'node:net';
import type { BenchContext } from './context.js';

/**
 * SQL statements and Redis commands sent by minsheng's own processes (gateway, workers) during a phase, read from
 * the counting probe each of them runs (`statement-counter.mjs`) at the instant the phase starts and ends, and
 * divided by the phase's units of work (requests, steps, clocks): a regression shows as a number. The bench
 * driver's own statements (seeding, polls, commands it writes in place of the gateway) are not in them.
 */
export interface ProcessCounts {
  readonly totals: { readonly statements: number; readonly redis: number };
  /** By statement (first words, whitespace folded) and by Redis command name. */
  readonly statements: Readonly<Record<string, number>>;
  readonly redis: Readonly<Record<string, number>>;
}

/** One reading of each process, by pid, with its role. */
export type CountReadings = ReadonlyMap<number, { readonly role: string; readonly counts: ProcessCounts }>;

export interface PhaseCounts {
  readonly statements: number;
  readonly redis: number;
  readonly byRole: Readonly<Record<string, { statements: number; redis: number }>>;
  /** Keyed `<role>: <statement>` and `<role>: <command>`. */
  readonly statementsByName: ReadonlyMap<string, number>;
  readonly redisByName: ReadonlyMap<string, number>;
}

/** Asks a process's probe for its counts so far. */
export function readCounts(socket: string, timeoutMs = 10_000): Promise<ProcessCounts> {
  return new Promise((resolve, reject) => {
    const connection = createConnection(socket);
    let body = '';
    const timer = setTimeout(
      () => connection.destroy(new Error(`no counts from ${socket} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    connection.setEncoding('utf8');
    connection.on('data', (chunk: string) => (body += chunk));
    connection.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    connection.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(body) as ProcessCounts);
      } catch (error) {
        reject(new Error(`unreadable counts from ${socket}`, { cause: error }));
      }
    });
  });
}

/**
 * What each process sent between two readings, summed by role. A process first read after the phase began
 * (started during it) counts from zero, its whole life; one missing from `after` (killed without a last reading)
 * drops out.
 */
export function countsBetween(before: CountReadings, after: CountReadings): PhaseCounts {
  const byRole: Record<string, { statements: number; redis: number }> = {};
  const statementsByName = new Map<string, number>();
  const redisByName = new Map<string, number>();
  const addAll = (
    target: Map<string, number>,
    role: string,
    now: Readonly<Record<string, number>>,
    then: Readonly<Record<string, number>>,
  ) => {
    for (const [name, n] of Object.entries(now)) {
      const delta = n - (then[name] ?? 0);
      if (delta > 0) target.set(`${role}: ${name}`, (target.get(`${role}: ${name}`) ?? 0) + delta);
    }
  };
  let statements = 0;
  let redis = 0;
  for (const [pid, { role, counts }] of after) {
    const earlier = before.get(pid)?.counts;
    const s = counts.totals.statements - (earlier?.totals.statements ?? 0);
    const r = counts.totals.redis - (earlier?.totals.redis ?? 0);
    const sum = (byRole[role] ??= { statements: 0, redis: 0 });
    sum.statements += s;
    sum.redis += r;
    statements += s;
    redis += r;
    addAll(statementsByName, role, counts.statements, earlier?.statements ?? {});
    addAll(redisByName, role, counts.redis, earlier?.redis ?? {});
  }
  return { statements, redis, byRole, statementsByName, redisByName };
}

/** The per-unit figures of a phase as the results JSON keeps them (`counts.<key>`). */
export interface PhaseCountsPerUnit {
  readonly unit: string;
  readonly units: number;
  readonly seconds: number;
  readonly statementsPerUnit: number;
  readonly redisCommandsPerUnit: number;
  readonly byRole: Readonly<Record<string, { statementsPerUnit: number; redisCommandsPerUnit: number }>>;
  /** Every statement and command sent at least once per 200 units, most frequent first. */
  readonly statements: Readonly<Record<string, number>>;
  readonly redis: Readonly<Record<string, number>>;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function perUnit(counts: PhaseCounts, units: number, unit: string, seconds: number): PhaseCountsPerUnit {
  const per = (n: number) => (units > 0 ? n / units : Number.NaN);
  const named = (map: ReadonlyMap<string, number>) =>
    Object.fromEntries(
      [...map]
        .map(([name, n]) => [name, round(per(n))] as const)
        .filter(([, n]) => n >= 0.005)
        .sort((a, b) => b[1] - a[1]),
    );
  return {
    unit,
    units,
    seconds: Math.round(seconds * 10) / 10,
    statementsPerUnit: per(counts.statements),
    redisCommandsPerUnit: per(counts.redis),
    byRole: Object.fromEntries(
      Object.entries(counts.byRole)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([role, c]) => [
          role,
          { statementsPerUnit: round(per(c.statements)), redisCommandsPerUnit: round(per(c.redis)) },
        ]),
    ),
    statements: named(counts.statementsByName),
    redis: named(counts.redisByName),
  };
}

/** A phase's counting: opened where its measurement starts, closed where it ends, recorded with its other rows. */
export interface CountWindow {
  /** What was sent since the window opened, per unit of work; null if the bench does not count or a probe failed. */
  close(units: number, unit: string): Promise<PhaseCountsPerUnit | null>;
  /**
   * Two rows of the results table (`SQL statements per <unit>`, `Redis commands per <unit>`, split by process in
   * the note), the metrics `<key>.statementsPerUnit` and `<key>.redisCommandsPerUnit`, the breakdown in `counts.<key>`.
   */
  record(result: PhaseCountsPerUnit | null, label?: string): void;
}

/** Starts counting minsheng's statements and Redis commands for the phase `key` (a metrics prefix). */
export async function countWindow(ctx: BenchContext, key: string): Promise<CountWindow> {
  // A probe that cannot be read costs the phase its counts, never its other figures.
  let failure: string | undefined;
  const failed = (error: unknown) => {
    failure ??= error instanceof Error ? error.message : String(error);
    return null;
  };
  const before = await ctx.processes.readCounts().catch(failed);
  const started = performance.now();
  return {
    async close(units, unit) {
      if (before === null) return null;
      const after = await ctx.processes.readCounts().catch(failed);
      if (after === null) return null;
      return perUnit(countsBetween(before, after), units, unit, (performance.now() - started) / 1000);
    },
    record(result, label) {
      if (result !== null) recordCounts(ctx, key, result, label);
      else if (failure !== undefined) {
        ctx.record({
          metric: `SQL statements and Redis commands${label ? `, ${label}` : ''}`,
          value: null,
          unit: '',
          note: `failed: ${failure}`,
        });
      }
    },
  };
}

function recordCounts(ctx: BenchContext, key: string, result: PhaseCountsPerUnit, label?: string): void {
  const suffix = label ? `, ${label}` : '';
  const split = (field: 'statementsPerUnit' | 'redisCommandsPerUnit') =>
    Object.entries(result.byRole)
      .map(([role, c]) => `${role} ${c[field].toFixed(2)}`)
      .join(', ');
  const top = (named: Readonly<Record<string, number>>) =>
    Object.entries(named)
      .slice(0, 3)
      .map(([name, n]) => `${n.toFixed(2)}× ${name.slice(0, 60).replaceAll('|', '\\|')}`)
      .join('; ');
  ctx.metrics.set(`${key}.statementsPerUnit`, result.statementsPerUnit);
  ctx.metrics.set(`${key}.redisCommandsPerUnit`, result.redisCommandsPerUnit);
  ctx.counts.set(key, result);
  ctx.record({
    metric: `SQL statements per ${result.unit}${suffix}`,
    value: result.statementsPerUnit,
    unit: 'stmts',
    note: `${split('statementsPerUnit')}; most: ${top(result.statements)}`,
  });
  ctx.record({
    metric: `Redis commands per ${result.unit}${suffix}`,
    value: result.redisCommandsPerUnit,
    unit: 'cmds',
    note: `${split('redisCommandsPerUnit')}; most: ${top(result.redis)}`,
  });
}

/** A one-line summary for the progress log. */
export function describeCounts(c: PhaseCountsPerUnit): string {
  const roles = Object.entries(c.byRole)
    .map(([role, r]) => `${role} ${r.statementsPerUnit.toFixed(2)}/${r.redisCommandsPerUnit.toFixed(2)}`)
    .join(', ');
  return (
    `${c.statementsPerUnit.toFixed(2)} SQL statements and ${c.redisCommandsPerUnit.toFixed(2)} Redis commands ` +
    `per ${c.unit} (${roles})`
  );
}
