import { loadConfig } from '@minsheng/infra';
import { coalescedCount, PortalRateLimiter } from './rate-limiter.js';

// Without Redis (queues on PostgreSQL, docs/operations.md "Queue backends") the window is counted in the process.
describe('portal rate limit without Redis', () => {
  const limiter = new PortalRateLimiter(null, loadConfig({}));
  const minute = Date.UTC(2026, 5, 1, 1, 0, 0);

  it('refuses the request past the limit within one minute, per portal, and starts again in the next minute', async () => {
    await limiter.consume('portal-a', 2, minute);
    await limiter.consume('portal-a', 2, minute + 10_000);
    await expect(limiter.consume('portal-a', 2, minute + 20_000)).rejects.toMatchObject({
      code: 'RATE_LIMIT.EXCEEDED',
      details: { retryAfterSeconds: 40, limitPerMinute: 2 },
    });
    await limiter.consume('portal-b', 2, minute + 20_000);
    await limiter.consume('portal-a', 2, minute + 60_000);
  });
});

// The Redis counter's batching (bench/profiles/intake.md "The gateway's cost, second pass (2026-12-07)"), on a
// counter in memory.
describe('increments arriving together', () => {
  function recordingCounter() {
    const totals = new Map<string, number>();
    const calls: { key: string; by: number }[] = [];
    const countBy = (key: string, _ttlMs: number, by: number) => {
      calls.push({ key, by });
      totals.set(key, (totals.get(key) ?? 0) + by);
      return Promise.resolve(totals.get(key)!);
    };
    return { calls, count: coalescedCount(countBy) };
  }

  it('are sent as one increment per key, and each caller gets the count it would have had alone', async () => {
    const { calls, count } = recordingCounter();
    const together = await Promise.all([count('a', 1_000), count('a', 1_000), count('b', 1_000), count('a', 1_000)]);
    expect(together).toEqual([1, 2, 1, 3]);
    expect(calls).toEqual([
      { key: 'a', by: 3 },
      { key: 'b', by: 1 },
    ]);
    expect(await count('a', 1_000)).toBe(4);
    expect(calls).toHaveLength(3);
  });

  it('refuse every caller of a batch whose increment failed', async () => {
    const count = coalescedCount(() => Promise.reject(new Error('redis down')));
    const outcomes = await Promise.allSettled([count('a', 1_000), count('a', 1_000)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});
