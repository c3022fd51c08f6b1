import { jest } from '@jest/globals';

// Integration tests talk to real PostgreSQL and Redis on a noisy 2-core machine: allow them time, not luck.
jest.setTimeout(Number(process.env['MINSHENG_TEST_TIMEOUT_MS'] ?? 30_000));
