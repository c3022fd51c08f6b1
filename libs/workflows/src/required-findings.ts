import { SELF_CARE_LEVELS } from '@minsheng/domain';
import { SUPPORT_FORMS } from './extreme-poverty/extreme-poverty.rules.js';
import { MEANS_FINDINGS_FIELDS, MEANS_FINDINGS_PROBE } from './means-findings.js';

/** One field of a decision's `findings` as a form describes it. */
export interface FindingField {
  readonly name: string;
  readonly kind: 'date' | 'choice' | 'boolean';
  readonly choices?: readonly string[];
  readonly required: boolean;
}

/**
 * The care findings of 特困 (support for destitute persons): the person's 生活自理能力 and the form of support they
 * chose, 集中供养 or 分散供养 (社会救助暂行办法 art. 19 [V L1]; docs/domain.md §3.2).
 */
export const CARE_FINDINGS_FIELDS: readonly FindingField[] = [
  { name: 'selfCareLevel', kind: 'choice', choices: [...SELF_CARE_LEVELS], required: true },
  { name: 'supportForm', kind: 'choice', choices: [...SUPPORT_FORMS], required: true },
];

/** Well-formed care findings, only ever used to ask a machine whether it needs them (never stored). */
export const CARE_FINDINGS_PROBE = { selfCareLevel: SELF_CARE_LEVELS[0], supportForm: SUPPORT_FORMS[0] };

/** The groups of findings a decision may have to carry, each with a well-formed probe. */
const GROUPS: readonly { fields: readonly FindingField[]; probe: Record<string, unknown> }[] = [
  { fields: MEANS_FINDINGS_FIELDS, probe: { ...MEANS_FINDINGS_PROBE } },
  { fields: CARE_FINDINGS_FIELDS, probe: { ...CARE_FINDINGS_PROBE } },
];

/**
 * The findings an approval must carry, asked of the machine (not a list of steps): nothing when it takes an
 * approval without findings; else the fields of the fewest groups whose probes together make it take one (means,
 * care, or both, tried in that order); nothing when no combination does (the form then offers no findings and the
 * engine's refusal says why). `takes(findings)` says whether the case's machine, as it stands, takes the approval
 * with those findings (undefined: none).
 */
export function requiredFindingsOf(takes: (findings: Record<string, unknown> | undefined) => boolean): FindingField[] {
  if (takes(undefined)) return [];
  const combinations = [[0], [1], [0, 1]].map((indexes) => indexes.map((i) => GROUPS[i]!));
  for (const groups of combinations) {
    const probe = Object.assign({}, ...groups.map((g) => g.probe)) as Record<string, unknown>;
    if (takes(probe)) return groups.flatMap((g) => [...g.fields]);
  }
  return [];
}
