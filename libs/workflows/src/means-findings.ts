import type { CaseEvent } from './events.js';

/**
 * What a means investigation (家庭经济状况调查) reports when it supports the application: the date of the home
 * visit (入户调查) and the result of the data cross-check (信息核查) run by the county civil affairs bureau
 * (社会救助暂行办法 arts. 11(2), 58 [V L1]).
 */
export const DATA_CHECK_RESULTS = ['consistent', 'inconsistent'] as const;
export type DataCheckResult = (typeof DATA_CHECK_RESULTS)[number];

export interface MeansFindings {
  readonly homeVisitDate: string; // YYYY-MM-DD
  readonly dataCheck: DataCheckResult;
  /** 民主评议 is optional; the investigator asks for it when facts are disputed. */
  readonly communityAssessmentNeeded?: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function hasMeansFindings({ event }: { event: CaseEvent }): boolean {
  if (event.type !== 'DECIDED' || event.findings === undefined) return false;
  const { homeVisitDate, dataCheck } = event.findings;
  return (
    typeof homeVisitDate === 'string' &&
    ISO_DATE.test(homeVisitDate) &&
    (DATA_CHECK_RESULTS as readonly unknown[]).includes(dataCheck)
  );
}

export function needsCommunityAssessment({ event }: { event: CaseEvent }): boolean {
  return event.type === 'DECIDED' && event.findings?.['communityAssessmentNeeded'] === true;
}

/**
 * The fields of `MeansFindings` as a form describes them: what a reviewer fills in when an investigation's approval
 * must report them. The gateway offers them for a task whose machine refuses an approval without findings and takes
 * one with `MEANS_FINDINGS_PROBE` (the machine decides, not a list of steps).
 */
export const MEANS_FINDINGS_FIELDS = [
  { name: 'homeVisitDate', kind: 'date', required: true },
  { name: 'dataCheck', kind: 'choice', choices: [...DATA_CHECK_RESULTS], required: true },
  { name: 'communityAssessmentNeeded', kind: 'boolean', required: false },
] as const;

/** A well-formed `MeansFindings`, only ever used to ask a machine whether it needs findings (never stored). */
export const MEANS_FINDINGS_PROBE: MeansFindings = { homeVisitDate: '2000-01-01', dataCheck: 'consistent' };
