import { countsBetween, perUnit, type CountReadings, type ProcessCounts } from '../../bench/support/counts.js';

/** The bench's per-phase counts (bench/README.md, "Statements and Redis commands per unit"). */
const counts = (statements: Record<string, number>, redis: Record<string, number>): ProcessCounts => ({
  totals: {
    statements: Object.values(statements).reduce((a, b) => a + b, 0),
    redis: Object.values(redis).reduce((a, b) => a + b, 0),
  },
  statements,
  redis,
});

describe('bench counts per phase', () => {
  it('takes what each process sent between two readings, summed by role and by name', () => {
    const before: CountReadings = new Map([
      [10, { role: 'gateway', counts: counts({ 'SELECT 1': 5 }, { evalsha: 2 }) }],
      [20, { role: 'worker', counts: counts({ COMMIT: 7, 'SELECT 1': 1 }, { bzpopmin: 3 }) }],
    ]);
    const after: CountReadings = new Map([
      [10, { role: 'gateway', counts: counts({ 'SELECT 1': 9 }, { evalsha: 6 }) }],
      [20, { role: 'worker', counts: counts({ COMMIT: 10, 'SELECT 1': 1 }, { bzpopmin: 4 }) }],
      // Started during the phase: its whole life counts.
      [30, { role: 'worker', counts: counts({ COMMIT: 2 }, { evalsha: 1 }) }],
    ]);
    const phase = countsBetween(before, after);
    expect(phase.statements).toBe(4 + 3 + 2);
    expect(phase.redis).toBe(4 + 1 + 1);
    expect(phase.byRole).toEqual({ gateway: { statements: 4, redis: 4 }, worker: { statements: 5, redis: 2 } });
    expect(Object.fromEntries(phase.statementsByName)).toEqual({ 'gateway: SELECT 1': 4, 'worker: COMMIT': 5 });
    expect(Object.fromEntries(phase.redisByName)).toEqual({
      'gateway: evalsha': 4,
      'worker: bzpopmin': 1,
      'worker: evalsha': 1,
    });
  });

  it('leaves out a process read before the phase but not after it (killed without a last reading)', () => {
    const before: CountReadings = new Map([[10, { role: 'worker', counts: counts({ COMMIT: 5 }, {}) }]]);
    expect(countsBetween(before, new Map()).statements).toBe(0);
  });

  it('divides by the units of work, keeping names sent at least once per 200 units', () => {
    const after: CountReadings = new Map([
      [10, { role: 'worker', counts: counts({ COMMIT: 600, 'SELECT rare': 1 }, { evalsha: 1200 }) }],
    ]);
    const result = perUnit(countsBetween(new Map(), after), 300, 'step', 12.34);
    expect(result).toEqual({
      unit: 'step',
      units: 300,
      seconds: 12.3,
      statementsPerUnit: 601 / 300,
      redisCommandsPerUnit: 4,
      byRole: { worker: { statementsPerUnit: 2.003, redisCommandsPerUnit: 4 } },
      statements: { 'worker: COMMIT': 2 },
      redis: { 'worker: evalsha': 4 },
    });
  });
});
