import { type Fen, fen } from '../money/fen.js';
import {
  TEMPORARY_ASSISTANCE_CAPS,
  type TemporaryAssistanceType,
  temporaryAssistanceCap,
} from './temporary-assistance-cap.js';

describe('temporaryAssistanceCap', () => {
  it.each<[TemporaryAssistanceType, number, number, string]>([
    ['emergency', 38_000, 190_000, '5 × regional urban standard 380.00 = 1900.00 yuan'],
    ['expenditure', 38_000, 304_000, '8 × regional urban standard 380.00 = 3040.00 yuan'],
    ['emergency', 73_550, 367_750, '5 × regional urban standard 735.50 = 3677.50 yuan'],
    ['expenditure', 0, 0, '8 × regional urban standard 0.00 = 0.00 yuan'],
    ['major-case', 38_000, 3_000_000, 'major case (一事一议) maximum 30000.00 yuan'],
    ['major-case', 900_000, 3_000_000, 'major case (一事一议) maximum 30000.00 yuan'],
  ])('%s with a standard of %p fen: cap %p', (type, standard, cap, formula) => {
    expect(temporaryAssistanceCap({ type, regionalUrbanStandard: fen(standard) })).toEqual({ type, cap, formula });
  });

  it('refuses a standard that is not a non-negative integer of fen', () => {
    expect(() => temporaryAssistanceCap({ type: 'emergency', regionalUrbanStandard: -1 as Fen })).toThrow(
      expect.objectContaining({ code: 'MONEY.NEGATIVE_AMOUNT', details: { field: 'regionalUrbanStandard' } }),
    );
    expect(() => temporaryAssistanceCap({ type: 'major-case', regionalUrbanStandard: 0.5 as Fen })).toThrow(
      expect.objectContaining({ code: 'MONEY.NOT_INTEGER_FEN' }),
    );
  });

  it('keeps the caps as data with their evidence (Xinjiang notice, 天山网 2023-01-12)', () => {
    expect(TEMPORARY_ASSISTANCE_CAPS).toEqual({
      emergencyMultiple: { value: 5, evidence: 'S', source: 'P6' },
      expenditureMultiple: { value: 8, evidence: 'S', source: 'P6' },
      majorCaseMaximum: { value: 3_000_000, evidence: 'S', source: 'P6' },
    });
  });
});
