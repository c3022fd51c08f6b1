import { type Attested, attested } from '../catalog/evidence.js';
import { type Fen, fen, formatYuan, multiplyFen, nonNegativeFen } from '../money/fen.js';

/** Paths of 临时救助: 急难型 (emergency), 支出型 (expenditure), and 一事一议 major cases. */
export const TEMPORARY_ASSISTANCE_TYPES = ['emergency', 'expenditure', 'major-case'] as const;
export type TemporaryAssistanceType = (typeof TEMPORARY_ASSISTANCE_TYPES)[number];

/**
 * Xinjiang caps on one temporary-assistance grant (《关于进一步加强和规范临时救助工作的通知》, 2023,
 * docs/domain.md §3.3 [S P6]): multiples of the regional (自治区) urban 低保 monthly standard, and a fixed maximum for major
 * cases decided one by one by the county social-assistance coordination body. Counties set tiers within these caps.
 */
export const TEMPORARY_ASSISTANCE_CAPS: {
  readonly emergencyMultiple: Attested<number>;
  readonly expenditureMultiple: Attested<number>;
  readonly majorCaseMaximum: Attested<Fen>;
} = {
  emergencyMultiple: attested(5, 'S', 'P6'),
  expenditureMultiple: attested(8, 'S', 'P6'),
  majorCaseMaximum: attested(fen(3_000_000), 'S', 'P6'), // 30,000 yuan
};

export interface TemporaryAssistanceCap {
  readonly type: TemporaryAssistanceType;
  readonly cap: Fen;
  /** Human-readable, with the numbers, to be stored with a grant. */
  readonly formula: string;
}

/**
 * The largest grant allowed for a temporary-assistance case of the given type: 5 × the regional urban 低保
 * monthly standard for the emergency type, 8 × for the expenditure type, 30,000 yuan for a major case [S P6].
 * @throws DomainError `MONEY.*` if the standard is not a non-negative integer of fen.
 */
export function temporaryAssistanceCap(input: {
  readonly type: TemporaryAssistanceType;
  readonly regionalUrbanStandard: Fen;
}): TemporaryAssistanceCap {
  const standard = nonNegativeFen(input.regionalUrbanStandard, 'regionalUrbanStandard');
  switch (input.type) {
    case 'emergency':
    case 'expenditure': {
      const multiple = (
        input.type === 'emergency'
          ? TEMPORARY_ASSISTANCE_CAPS.emergencyMultiple
          : TEMPORARY_ASSISTANCE_CAPS.expenditureMultiple
      ).value;
      const cap = multiplyFen(standard, multiple);
      return {
        type: input.type,
        cap,
        formula: `${multiple} × regional urban standard ${formatYuan(standard)} = ${formatYuan(cap)} yuan`,
      };
    }
    case 'major-case': {
      const cap = TEMPORARY_ASSISTANCE_CAPS.majorCaseMaximum.value;
      return { type: input.type, cap, formula: `major case (一事一议) maximum ${formatYuan(cap)} yuan` };
    }
  }
}
