import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time spent by each part of the system during a measured phase, read from /proc (Linux only): the bench's
 * own processes by pid, PostgreSQL backends by the database in their title, the rest of PostgreSQL and Redis by
 * name, and the whole machine from /proc/stat. On two shared cores, steps/s is bounded by the CPU seconds a step
 * costs in all of them together; this says which part to cut.
 */
export interface CpuSample {
  readonly at: number;
  /** CPU seconds so far of each process, keyed `<part>#<pid>`: a difference is taken per process, not per part. */
  readonly byProcess: ReadonlyMap<string, number>;
  readonly machineBusy: number;
  readonly machineTotal: number;
}

const TICKS_PER_SECOND = 100;
/**
 * Backends that end during a phase (a pool closing idle connections) take their CPU time with them; the
 * postmaster, which waits for them, collects it as its children's time, counted as this part.
 */
const ENDED_BACKENDS = 'postgres (ended backends)';

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function processSeconds(pid: number): number | null {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND : null;
}

function childrenSeconds(pid: number): number | null {
  const fields = statFields(pid);
  return fields ? (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND : null;
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
  const byProcess = new Map<string, number>();
  const add = (part: string, pid: number, seconds: number | null) => {
    if (seconds !== null) byProcess.set(`${part}#${pid}`, seconds);
  };
  for (const [part, pids] of own) for (const pid of pids) add(part, pid, processSeconds(pid));
  const driver = process.cpuUsage();
  add('bench driver', process.pid, (driver.user + driver.system) / 1e6);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cmd = commandLine(pid);
    if (cmd.startsWith('postgres: ')) {
      // A backend's title is "postgres: [<cluster>: ]<user> <database> <client> <activity>"; background
      // processes (checkpointer, walwriter …) have no client.
      const backend = /^postgres: (?:\S+: )?\S+ (\S+) (?:\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\])/.exec(cmd);
      if (backend === null) add('postgres (background)', pid, processSeconds(pid));
      else if (backend[1] === database) add('postgres (bench database)', pid, processSeconds(pid));
    } else if (/\/bin\/postgres(?: |$)/.test(cmd)) {
      add(ENDED_BACKENDS, pid, childrenSeconds(pid));
    } else if (cmd.startsWith('redis-server') || cmd.includes('/redis-server')) {
      add('redis', pid, processSeconds(pid));
    }
  }
  const machine = machineTimes();
  return { at: performance.now(), byProcess, machineBusy: machine.busy, machineTotal: machine.total };
}

/** CPU seconds of each part between two readings, and the machine's busy share (0–1) over that time. */
export function cpuBetween(
  before: CpuSample,
  after: CpuSample,
): { parts: [string, number][]; machineBusyShare: number; wallSeconds: number } {
  // Per process: a process that ended in between drops out instead of subtracting all its earlier time from its
  // part (a process started in between counts from zero).
  const byPart = new Map<string, number>();
  for (const [key, seconds] of after.byProcess) {
    const delta = seconds - (before.byProcess.get(key) ?? 0);
    const part = key.slice(0, key.lastIndexOf('#'));
    if (delta > 0) byPart.set(part, (byPart.get(part) ?? 0) + delta);
  }
  // The postmaster's children time grew by the whole life of each backend that ended: take off what those that
  // were already running had spent before the phase.
  for (const [key, seconds] of before.byProcess) {
    if (after.byProcess.has(key) || !key.startsWith('postgres (')) continue;
    const ended = byPart.get(ENDED_BACKENDS);
    if (ended !== undefined) byPart.set(ENDED_BACKENDS, ended - seconds);
  }
  if ((byPart.get(ENDED_BACKENDS) ?? 0) <= 0) byPart.delete(ENDED_BACKENDS);
  const parts = [...byPart].sort((a, b) => b[1] - a[1]);
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
