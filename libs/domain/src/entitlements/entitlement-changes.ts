import { type EntitlementStatus } from './entitlement-rules.js';

/**
 * Suspension, resumption and ending of an entitlement (动态管理, docs/money.md "Suspension, resumption, ending"),
 * by a reviewer's decision or an event, each with a reason code and the month it takes effect from.
 */
export const ENTITLEMENT_CHANGES = {
  suspension: {
    from: ['active', 'gradual-exit'],
    to: 'suspended',
    event: 'ENTITLEMENT_SUSPENDED',
    reasons: [
      'no-response-to-review',
      'income-above-standard',
      'moved-out-of-district',
      'under-investigation',
      'other',
    ],
  },
  resumption: {
    from: ['suspended'],
    to: 'active',
    event: 'ENTITLEMENT_RESUMED',
    reasons: ['review-completed', 'circumstances-confirmed', 'other'],
  },
  ending: {
    from: ['active', 'suspended', 'gradual-exit'],
    to: 'ended',
    event: 'ENTITLEMENT_ENDED',
    reasons: ['deceased', 'moved-out-of-district', 'income-above-standard', 'no-longer-eligible', 'other'],
  },
} as const satisfies Record<
  string,
  { from: readonly EntitlementStatus[]; to: EntitlementStatus; event: string; reasons: readonly string[] }
>;

export type EntitlementChange = keyof typeof ENTITLEMENT_CHANGES;

/** The status after `change`, or null when an entitlement in `status` cannot take it. */
export function statusAfter(status: EntitlementStatus, change: EntitlementChange): EntitlementStatus | null {
  const rule = ENTITLEMENT_CHANGES[change];
  return (rule.from as readonly EntitlementStatus[]).includes(status) ? rule.to : null;
}
