/** Latency and rate arithmetic for the benchmark: nearest-rank percentiles over raw samples, no histograms. */

export interface Distribution {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function distribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

/** Milliseconds since an origin, with sub-millisecond resolution. */
export function now(): number {
  return performance.now();
}

export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : Number.NaN;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * How long a driver waits before its next poll: at least `floorMs`, and 10 times what the last poll's queries took,
 * so that polling keeps PostgreSQL busy at most about a tenth of one core whatever the size of the round (the
 * machine measured is the machine the driver runs on).
 */
export function pollPause(lastPollMs: number, floorMs: number): number {
  return Math.max(floorMs, 10 * lastPollMs);
}
