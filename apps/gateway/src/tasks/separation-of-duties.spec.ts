import { describe, expect, it } from '@jest/globals';
import { separationOfDuties } from './separation-of-duties.js';

const prior = [
  { step: 'acceptance', kind: 'acceptance', decidedBy: 'staff:a' },
  { step: 'investigation', kind: 'investigation', decidedBy: 'staff:b' },
  { step: 'street-review', kind: 'review', decidedBy: 'staff:c' },
];
const failed = (actor: string, taskKind: string, relatives: string[] = [], history = prior) =>
  separationOfDuties({
    actor: `staff:${actor}`,
    subject: actor,
    taskKind,
    prior: history,
    relativesOfStaff: relatives,
  })
    .filter((c) => !c.passed)
    .map((c) => c.rule);

describe('separation of duties', () => {
  it.each([
    ['d', 'decision', [], []],
    ['c', 'decision', [], ['review-opinion-not-approver', 'no-consecutive-steps']],
    ['b', 'notice', [], []],
    ['a', 'decision', [], []],
    ['d', 'decision', ['d'], ['not-a-relative']],
  ])('%s deciding a %s task (relatives %j) fails %j', (actor, kind, relatives, expected) => {
    expect(failed(actor, kind, relatives)).toEqual(expected);
  });

  it('lets the reviewer of an earlier, non-adjacent step approve only if they gave no review opinion', () => {
    expect(
      failed('c', 'decision', [], [...prior, { step: 'objection-review', kind: 'objection', decidedBy: 'staff:e' }]),
    ).toEqual(['review-opinion-not-approver']);
    expect(failed('x', 'investigation', [], [])).toEqual([]);
  });
});
