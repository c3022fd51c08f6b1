import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time spent by each part of the system during a measured phase, read from /proc (Linux only): the bench's
 * own processes by pid, PostgreSQL backends by the database in their title, the rest of PostgreSQL and Redis by
 * name, and the whole machine from /proc/stat. On two shared cores, steps/s is bounded by the CPU seconds a step
 * costs in all of them together; this says which part to cut.
 */
export interface CpuSample {
  readonly at: number;
  readonly byPart: ReadonlyMap<string, number>;
  readonly machineBusy: number;
  readonly machineTotal: number;
}

const TICKS_PER_SECOND = 100;

function processSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

function machineTimes(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/** One reading; `own` names the bench's processes (gateway, worker 1 …) by pid. */
export function sampleCpu(own: ReadonlyMap<string, readonly number[]>, database: string): CpuSample {
  const byPart = new Map<string, number>();
  const add = (part: string, seconds: number | null) => {
    if (seconds !== null) byPart.set(part, (byPart.get(part) ?? 0) + seconds);
  };
  for (const [part, pids] of own) for (const pid of pids) add(part, processSeconds(pid));
  add('bench driver', process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cmd = commandLine(pid);
    if (cmd.startsWith('postgres: ')) {
      // A backend's title is "postgres: [<cluster>: ]<user> <database> <client> <activity>"; background
      // processes (checkpointer, walwriter …) have no client.
      const backend = /^postgres: (?:\S+: )?\S+ (\S+) (?:\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\])/.exec(cmd);
      if (backend === null) add('postgres (background)', processSeconds(pid));
      else if (backend[1] === database) add('postgres (bench database)', processSeconds(pid));
    } else if (cmd.startsWith('redis-server') || cmd.includes('/redis-server')) {
      add('redis', processSeconds(pid));
    }
  }
  const machine = machineTimes();
  return { at: performance.now(), byPart, machineBusy: machine.busy, machineTotal: machine.total };
}

/** CPU seconds of each part between two readings, and the machine's busy share (0–1) over that time. */
export function cpuBetween(
  before: CpuSample,
  after: CpuSample,
): { parts: [string, number][]; machineBusyShare: number; wallSeconds: number } {
  const parts: [string, number][] = [];
  for (const [part, seconds] of after.byPart) {
    const delta = seconds - (before.byPart.get(part) ?? 0);
    if (delta > 0) parts.push([part, delta]);
  }
  parts.sort((a, b) => b[1] - a[1]);
  const total = after.machineTotal - before.machineTotal;
  return {
    parts,
    machineBusyShare: total > 0 ? (after.machineBusy - before.machineBusy) / total : 0,
    wallSeconds: (after.at - before.at) / 1000,
  };
}

/** A one-line summary: milliseconds of CPU per unit of work (per step) for each part. */
export function describeCpu(usage: ReturnType<typeof cpuBetween>, units: number, unitName: string): string {
  const perUnit = usage.parts.map(([part, s]) => `${part} ${((s * 1000) / units).toFixed(2)}`).join(', ');
  const accounted = usage.parts.reduce((a, [, s]) => a + s, 0);
  return (
    `CPU ms per ${unitName}: ${perUnit}; accounted ${((accounted * 1000) / units).toFixed(2)}; ` +
    `machine busy ${Math.round(usage.machineBusyShare * 100)} % of ${usage.wallSeconds.toFixed(1)} s`
  );
}
