/**
 * What a case looks like from outside, derived from the machine's state tags. Every state carries exactly one
 * status tag; states with an open task also carry `step:<name>`.
 */
export const CASE_STATUSES = [
  'submitted', // received, not yet accepted
  'in-review', // a task of the office is open
  'awaiting-applicant', // returned for missing material; the clocks are paused
  'public-notice', // 公示: the proposed decision is posted and open to objections
  'approved', // approved (closed, or publication and grant still to come)
  'in-payment', // approved, instalments being paid
  'waiting-list', // qualified and waiting for allocation (公租房轮候)
  'in-lease', // allocated, the lease running (公租房 from version 3)
  'rejected', // rejected (closed, or the notice or an objection still to come)
  'withdrawn', // withdrawn by the applicant, or deemed withdrawn
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** How a closed case ended (the `closeCase` intent). */
export const CASE_OUTCOMES = ['approved', 'rejected', 'withdrawn', 'deemed-withdrawn'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export type StepTag = `step:${string}`;
export type CaseTag = CaseStatus | StepTag;

export function stepTag(step: string): StepTag {
  return `step:${step}`;
}

const STATUSES: ReadonlySet<string> = new Set(CASE_STATUSES);

export function isCaseStatus(tag: string): tag is CaseStatus {
  return STATUSES.has(tag);
}
