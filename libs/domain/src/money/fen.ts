import { DomainError } from '../errors/domain-error.js';

/**
 * An amount of money in fen (分, 1/100 yuan), always a safe integer. Every amount in minsheng is a `Fen`
 * (design invariant 8): no floating point is ever near an amount. Negative values are allowed (differences,
 * adjustments); use {@link nonNegativeFen} where an amount must not be negative.
 */
export type Fen = number & { readonly __brand: 'fen' };

/** Stable error codes of the money module. */
export const MONEY_ERRORS = {
  notIntegerFen: 'MONEY.NOT_INTEGER_FEN',
  negativeAmount: 'MONEY.NEGATIVE_AMOUNT',
  badYuanAmount: 'MONEY.BAD_YUAN_AMOUNT',
  outOfRange: 'MONEY.OUT_OF_RANGE',
  notIntegerFactor: 'MONEY.NOT_INTEGER_FACTOR',
  badRatio: 'MONEY.BAD_RATIO',
} as const;

/** How {@link applyRatio} rounds a result that falls between two fen. */
export type Rounding = 'half-up' | 'floor' | 'ceil';

/** The rounding modes, for validation and exhaustive tests. */
export const ROUNDINGS: readonly Rounding[] = ['half-up', 'floor', 'ceil'];

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const MIN = -MAX;

/**
 * Brands a number as fen after checking that it is a safe integer (`-0` becomes `0`).
 * @throws DomainError `MONEY.NOT_INTEGER_FEN` for fractions, NaN, infinities and unsafe integers.
 */
export function fen(amount: number, field?: string): Fen {
  if (!Number.isSafeInteger(amount)) {
    throw new DomainError(MONEY_ERRORS.notIntegerFen, 'An amount of money must be a safe integer number of fen', {
      ...(field === undefined ? {} : { field }),
    });
  }
  return (amount === 0 ? 0 : amount) as Fen;
}

/**
 * Like {@link fen}, and also refuses negative amounts (a standard, an income category, a payment).
 * @throws DomainError `MONEY.NOT_INTEGER_FEN` or `MONEY.NEGATIVE_AMOUNT`.
 */
export function nonNegativeFen(amount: number, field?: string): Fen {
  const value = fen(amount, field);
  if (value < 0) {
    throw new DomainError(MONEY_ERRORS.negativeAmount, 'This amount of money must not be negative', {
      ...(field === undefined ? {} : { field }),
    });
  }
  return value;
}

const YUAN_PATTERN = /^(-)?(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;

/**
 * Parses a decimal yuan amount written as a string ("380", "380.5", "380.50", "-12.05") into fen, by string
 * and BigInt arithmetic only (no float ever holds the amount). At most two decimals: "1.005" is refused
 * rather than rounded, because an amount with a third decimal is a data error, not a rounding question.
 * Thousands separators, spaces, a leading "+", leading zeros ("007") and a bare "." are refused.
 * @throws DomainError `MONEY.BAD_YUAN_AMOUNT` for any other shape, `MONEY.OUT_OF_RANGE` beyond a safe integer.
 */
export function yuanToFen(yuan: string, field?: string): Fen {
  const match = YUAN_PATTERN.exec(yuan);
  const details = field === undefined ? {} : { field };
  if (match === null) {
    throw new DomainError(
      MONEY_ERRORS.badYuanAmount,
      'A yuan amount must be written as digits with at most two decimals, e.g. "380.50"',
      details,
    );
  }
  const [, minus, whole = '0', decimals = ''] = match;
  const magnitude = BigInt(whole) * 100n + BigInt(decimals.padEnd(2, '0'));
  return fromBigInt(minus === undefined ? magnitude : -magnitude, field);
}

/**
 * Writes fen as a yuan amount with exactly two decimals and no separators: 38050 → "380.50", -5 → "-0.05".
 * {@link yuanToFen} reads the result back to the same amount.
 */
export function formatYuan(amount: Fen): string {
  const value = BigInt(fen(amount));
  const magnitude = value < 0n ? -value : value;
  const whole = magnitude / 100n;
  const cents = (magnitude % 100n).toString().padStart(2, '0');
  return `${value < 0n ? '-' : ''}${whole.toString()}.${cents}`;
}

/** Sums amounts of fen; the empty sum is 0. @throws DomainError `MONEY.OUT_OF_RANGE` on overflow. */
export function sumFen(amounts: readonly Fen[]): Fen {
  let total = 0n;
  for (const amount of amounts) total += BigInt(fen(amount));
  return fromBigInt(total);
}

/** `a − b` in fen. @throws DomainError `MONEY.OUT_OF_RANGE` on overflow. */
export function subtractFen(a: Fen, b: Fen): Fen {
  return fromBigInt(BigInt(fen(a)) - BigInt(fen(b)));
}

/**
 * Multiplies an amount by an integer (a number of members, of months).
 * @throws DomainError `MONEY.NOT_INTEGER_FACTOR` if the factor is not a safe integer, `MONEY.OUT_OF_RANGE` on overflow.
 */
export function multiplyFen(amount: Fen, factor: number): Fen {
  if (!Number.isSafeInteger(factor)) {
    throw new DomainError(MONEY_ERRORS.notIntegerFactor, 'Money can only be multiplied by a safe integer');
  }
  return fromBigInt(BigInt(fen(amount)) * BigInt(factor));
}

/**
 * `amount × numerator / denominator`, rounded to a whole fen as the caller says, in BigInt arithmetic so that
 * no intermediate product loses precision. Use it for any rate (1.3 × a standard is `applyRatio(s, 13, 10, …)`).
 * - `half-up`: to the nearest fen, a half fen away from zero (2.5 → 3, −2.5 → −3), as in commercial rounding;
 * - `floor`: towards negative infinity;
 * - `ceil`: towards positive infinity.
 * @throws DomainError `MONEY.BAD_RATIO` if numerator or denominator is not a safe integer or the denominator
 * is not positive; `MONEY.OUT_OF_RANGE` if the result is not a safe integer.
 */
export function applyRatio(amount: Fen, numerator: number, denominator: number, rounding: Rounding): Fen {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new DomainError(
      MONEY_ERRORS.badRatio,
      'A ratio needs a safe integer numerator and a positive safe integer denominator',
    );
  }
  const product = BigInt(fen(amount)) * BigInt(numerator);
  const divisor = BigInt(denominator);
  const truncated = product / divisor; // BigInt division truncates towards zero
  const remainder = product % divisor; // same sign as the product
  let result = truncated;
  switch (rounding) {
    case 'floor':
      if (remainder < 0n) result -= 1n;
      break;
    case 'ceil':
      if (remainder > 0n) result += 1n;
      break;
    case 'half-up': {
      const twiceRemainder = remainder < 0n ? -2n * remainder : 2n * remainder;
      if (twiceRemainder >= divisor) result += product < 0n ? -1n : 1n;
      break;
    }
    default: {
      const unknown: never = rounding;
      throw new DomainError(MONEY_ERRORS.badRatio, `Unknown rounding mode ${String(unknown)}`);
    }
  }
  return fromBigInt(result);
}

function fromBigInt(value: bigint, field?: string): Fen {
  if (value > MAX || value < MIN) {
    throw new DomainError(MONEY_ERRORS.outOfRange, 'The amount is beyond the range of a safe integer of fen', {
      ...(field === undefined ? {} : { field }),
    });
  }
  return fen(Number(value));
}
