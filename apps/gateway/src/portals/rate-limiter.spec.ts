import { loadConfig } from '@minsheng/infra';
import { PortalRateLimiter } from './rate-limiter.js';

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
