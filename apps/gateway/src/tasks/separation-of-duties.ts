/**
 * Separation of duties for a decision (the 低保 rules keep review and approval apart, 民发〔2021〕57号; docs/domain.md §3.1):
 * - whoever gave the review opinion of a case cannot approve it;
 * - nobody decides two consecutive steps of one case;
 * - a reviewer named as a relative of the applicant (`facts.relativeOfStaff`) cannot act on the case.
 * Every check is returned with its result and stored with the decision, passed or not.
 */
export interface PriorDecision {
  readonly step: string;
  readonly kind: string;
  readonly decidedBy: string;
}

export interface DutyCheck {
  readonly rule: 'review-opinion-not-approver' | 'no-consecutive-steps' | 'not-a-relative';
  readonly passed: boolean;
  readonly detail: string;
}

export function separationOfDuties(input: {
  readonly actor: string;
  readonly subject: string;
  readonly taskKind: string;
  /** Decided tasks of the case, oldest first. */
  readonly prior: readonly PriorDecision[];
  readonly relativesOfStaff: readonly string[];
}): DutyCheck[] {
  const reviewers = input.prior.filter((p) => p.kind === 'review').map((p) => p.decidedBy);
  const last = input.prior[input.prior.length - 1];
  const isApproval = input.taskKind === 'decision';
  return [
    {
      rule: 'review-opinion-not-approver',
      passed: !isApproval || !reviewers.includes(input.actor),
      detail: isApproval ? 'the approver did not give the review opinion' : 'not an approval',
    },
    {
      rule: 'no-consecutive-steps',
      passed: last === undefined || last.decidedBy !== input.actor,
      detail: last === undefined ? 'first decision of the case' : `previous step: ${last.step}`,
    },
    {
      rule: 'not-a-relative',
      passed: !input.relativesOfStaff.includes(input.subject),
      detail: 'the reviewer is not declared a relative of the applicant',
    },
  ];
}
