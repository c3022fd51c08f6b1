import fc from 'fast-check';
import { DomainError } from '../errors/domain-error.js';
import {
  type Fen,
  type Rounding,
  applyRatio,
  fen,
  formatYuan,
  multiplyFen,
  nonNegativeFen,
  subtractFen,
  sumFen,
  yuanToFen,
} from './fen.js';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
}

const safeFen = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }).map((n) => fen(n));

describe('fen', () => {
  it.each([0, 1, -1, 38000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])('accepts the safe integer %p', (n) => {
    expect(fen(n)).toBe(n);
  });

  it('turns -0 into 0 so that formatting never shows "-0.00"', () => {
    expect(Object.is(fen(-0), 0)).toBe(true);
  });

  it.each([0.5, 380.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -(2 ** 53)])('refuses %p', (n) => {
    expect(codeOf(() => fen(n))).toBe('MONEY.NOT_INTEGER_FEN');
  });

  it('names the field in the error details', () => {
    expect(() => fen(1.5, 'standard')).toThrow(
      expect.objectContaining({ code: 'MONEY.NOT_INTEGER_FEN', details: { field: 'standard' } }),
    );
  });

  it('nonNegativeFen refuses negative amounts and accepts zero', () => {
    expect(codeOf(() => nonNegativeFen(-1))).toBe('MONEY.NEGATIVE_AMOUNT');
    expect(nonNegativeFen(0)).toBe(0);
    expect(codeOf(() => nonNegativeFen(0.1))).toBe('MONEY.NOT_INTEGER_FEN');
  });
});

describe('yuanToFen', () => {
  it.each([
    ['380.50', 38050],
    ['380.5', 38050],
    ['380', 38000],
    ['0.05', 5],
    ['0', 0],
    ['-0', 0],
    ['-12.05', -1205],
    ['30000', 3_000_000],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
    ['-90071992547409.91', Number.MIN_SAFE_INTEGER],
  ])('reads %p as %p fen', (yuan, expected) => {
    expect(yuanToFen(yuan)).toBe(expected);
  });

  it.each(['', '380.', '.5', '1.005', '1,000', ' 1', '1 ', '+1', '007', '1e3', '０.５', '--1', 'NaN', '0x10'])(
    'refuses %p',
    (yuan) => {
      expect(codeOf(() => yuanToFen(yuan))).toBe('MONEY.BAD_YUAN_AMOUNT');
    },
  );

  it('refuses an amount beyond a safe integer of fen', () => {
    expect(codeOf(() => yuanToFen('90071992547409.92'))).toBe('MONEY.OUT_OF_RANGE');
  });

  it('is exact where float arithmetic is not (0.1 + 0.2, 1.15 × 100)', () => {
    expect(yuanToFen('1.15')).toBe(115);
    expect(sumFen([yuanToFen('0.10'), yuanToFen('0.20')])).toBe(yuanToFen('0.30'));
  });
});

describe('formatYuan', () => {
  it.each([
    [38050, '380.50'],
    [38000, '380.00'],
    [5, '0.05'],
    [0, '0.00'],
    [-5, '-0.05'],
    [-123456, '-1234.56'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
  ])('writes %p fen as %p', (amount, expected) => {
    expect(formatYuan(fen(amount))).toBe(expected);
  });

  it('round-trips every safe integer through yuanToFen', () => {
    fc.assert(fc.property(safeFen, (amount) => yuanToFen(formatYuan(amount)) === amount));
  });

  it('normalises any valid yuan string to two decimals that read back to the same amount', () => {
    const yuanString = fc
      .tuple(fc.boolean(), fc.nat({ max: 10 ** 12 }), fc.constantFrom('', '.0', '.5', '.05', '.50', '.99'))
      .map(([negative, whole, decimals]) => `${negative ? '-' : ''}${whole}${decimals}`);
    fc.assert(
      fc.property(yuanString, (yuan) => {
        const amount = yuanToFen(yuan);
        const written = formatYuan(amount);
        return /^-?\d+\.\d\d$/.test(written) && yuanToFen(written) === amount;
      }),
    );
  });
});

describe('sumFen, subtractFen and multiplyFen', () => {
  it('sums, with 0 for the empty list', () => {
    expect(sumFen([])).toBe(0);
    expect(sumFen([fen(100), fen(-30), fen(5)])).toBe(75);
  });

  it('refuses a sum beyond a safe integer', () => {
    expect(codeOf(() => sumFen([fen(Number.MAX_SAFE_INTEGER), fen(1)]))).toBe('MONEY.OUT_OF_RANGE');
  });

  it('refuses an unbranded non-integer smuggled into a sum', () => {
    expect(codeOf(() => sumFen([fen(1), 0.5 as Fen]))).toBe('MONEY.NOT_INTEGER_FEN');
  });

  it('subtracts', () => {
    expect(subtractFen(fen(38000), fen(15050))).toBe(22950);
    expect(subtractFen(fen(100), fen(250))).toBe(-150);
    expect(codeOf(() => subtractFen(fen(Number.MIN_SAFE_INTEGER), fen(1)))).toBe('MONEY.OUT_OF_RANGE');
  });

  it('multiplies by an integer', () => {
    expect(multiplyFen(fen(22950), 3)).toBe(68850);
    expect(multiplyFen(fen(100), -2)).toBe(-200);
    expect(multiplyFen(fen(100), 0)).toBe(0);
  });

  it.each([1.5, Number.NaN, 2 ** 53])('refuses the factor %p', (factor) => {
    expect(codeOf(() => multiplyFen(fen(100), factor))).toBe('MONEY.NOT_INTEGER_FACTOR');
  });

  it('refuses a product beyond a safe integer', () => {
    expect(codeOf(() => multiplyFen(fen(Number.MAX_SAFE_INTEGER), 2))).toBe('MONEY.OUT_OF_RANGE');
  });

  it('sum of a list equals the sum computed in BigInt', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }).map((n) => fen(n))), (amounts) => {
        const expected = amounts.reduce((total, amount) => total + BigInt(amount), 0n);
        return BigInt(sumFen(amounts)) === expected;
      }),
    );
  });
});

describe('applyRatio', () => {
  it.each<[number, number, number, Rounding, number]>([
    [10, 1, 4, 'half-up', 3],
    [10, 1, 4, 'floor', 2],
    [10, 1, 4, 'ceil', 3],
    [-10, 1, 4, 'half-up', -3],
    [-10, 1, 4, 'floor', -3],
    [-10, 1, 4, 'ceil', -2],
    [7, 1, 3, 'half-up', 2],
    [7, 1, 3, 'floor', 2],
    [7, 1, 3, 'ceil', 3],
    [8, 1, 3, 'half-up', 3],
    [-8, 1, 3, 'half-up', -3],
    [-7, 1, 3, 'half-up', -2],
    [38000, 13, 10, 'half-up', 49400],
    [38000, 13, 10, 'floor', 49400],
    [38050, 13, 10, 'floor', 49465],
    [38050, 13, 10, 'ceil', 49465],
    [38055, 13, 10, 'floor', 49471],
    [38055, 13, 10, 'half-up', 49472],
    [38055, 13, 10, 'ceil', 49472],
    [10, -1, 4, 'floor', -3],
    [0, 7, 3, 'ceil', 0],
  ])('%p × %p / %p rounded %s is %p', (amount, numerator, denominator, rounding, expected) => {
    expect(applyRatio(fen(amount), numerator, denominator, rounding)).toBe(expected);
  });

  it('is exact where the product exceeds a safe integer but the result does not', () => {
    // (2^53 − 1) × 2 needs 54 bits; (2^53 − 1) × 2 = 7 × 2573485501354568 + 6.
    expect(applyRatio(fen(Number.MAX_SAFE_INTEGER), 2, 7, 'floor')).toBe(2573485501354568);
    expect(applyRatio(fen(Number.MAX_SAFE_INTEGER), 2, 7, 'half-up')).toBe(2573485501354569);
    expect(applyRatio(fen(Number.MAX_SAFE_INTEGER), 7, 7, 'floor')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each<[number, number]>([
    [1, 0],
    [1, -3],
    [1.5, 2],
    [1, 2.5],
    [Number.NaN, 1],
  ])('refuses the ratio %p / %p', (numerator, denominator) => {
    expect(codeOf(() => applyRatio(fen(100), numerator, denominator, 'floor'))).toBe('MONEY.BAD_RATIO');
  });

  it('refuses a result beyond a safe integer', () => {
    expect(codeOf(() => applyRatio(fen(Number.MAX_SAFE_INTEGER), 3, 2, 'floor'))).toBe('MONEY.OUT_OF_RANGE');
  });

  it('floor and ceil bracket the exact quotient, and half-up picks the nearer of the two', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 12), max: 10 ** 12 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        (amount, numerator, denominator) => {
          const exact = BigInt(amount) * BigInt(numerator); // the quotient is exact / d
          const d = BigInt(denominator);
          const floor = BigInt(applyRatio(fen(amount), numerator, denominator, 'floor'));
          const ceil = BigInt(applyRatio(fen(amount), numerator, denominator, 'ceil'));
          const halfUp = BigInt(applyRatio(fen(amount), numerator, denominator, 'half-up'));
          const bracketed =
            floor * d <= exact && exact < (floor + 1n) * d && (ceil - 1n) * d < exact && exact <= ceil * d;
          const distance = (x: bigint) => (x * d - exact < 0n ? exact - x * d : x * d - exact);
          const nearest = distance(halfUp) <= distance(floor) && distance(halfUp) <= distance(ceil);
          const tieAwayFromZero =
            distance(floor) !== distance(ceil) || floor === ceil || halfUp === (exact < 0n ? floor : ceil);
          return bracketed && nearest && (halfUp === floor || halfUp === ceil) && tieAwayFromZero;
        },
      ),
    );
  });
});
