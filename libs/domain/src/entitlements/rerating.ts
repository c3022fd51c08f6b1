import { type Fen, fen, multiplyFen, subtractFen, sumFen } from '../money/fen.js';

/**
 * What a 低保 amount was computed from, kept with the entitlement so a new standard can be applied to it without
 * re-investigating the household (社会救助暂行办法 art. 12; docs/money.md "A new standard").
 */
export interface MinimumLivingBasis {
  readonly standardKey: string;
  readonly standardFen: number;
  readonly memberCount: number;
  readonly perCapitaIncomeFen: number;
  readonly topUpTotalFen: number;
}

export function isMinimumLivingBasis(value: unknown): value is MinimumLivingBasis {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['standardKey'] === 'string' &&
    ['standardFen', 'memberCount', 'perCapitaIncomeFen', 'topUpTotalFen'].every((k) =>
      Number.isSafeInteger(v[k] as number),
    )
  );
}

/**
 * The monthly 低保 amount under `standardFen`: (standard − per-capita income) × members, plus the household's
 * top-ups while the gap is positive (the same gap method as the approval, 社会救助暂行办法 art. 12); 0 when the
 * income is at or above the new standard.
 */
export function minimumLivingAmountUnder(basis: MinimumLivingBasis, standardFen: number): Fen {
  const gap = subtractFen(fen(standardFen), fen(basis.perCapitaIncomeFen));
  if (gap <= 0) return fen(0);
  return sumFen([multiplyFen(gap, basis.memberCount), fen(basis.topUpTotalFen)]);
}
