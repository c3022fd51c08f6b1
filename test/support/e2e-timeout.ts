import { jest } from '@jest/globals';

// End-to-end tests start processes and run whole cases.
jest.setTimeout(Number(process.env['MINSHENG_TEST_TIMEOUT_MS'] ?? 180_000));
