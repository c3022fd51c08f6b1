/**
 * The check character of an 18-character identity number: ISO 7064 MOD 11-2, as GB 11643-1999 §5 prescribes.
 * Digit i (1-based, from the left) of the first 17 carries the weight 2^(18−i) mod 11; the weighted sum modulo 11
 * selects the check character. The scheme detects every single-character substitution and every transposition
 * of two adjacent digits.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Check characters by `weighted sum mod 11`; 'X' stands for the value 10 (GB 11643-1999 §5.3). */
const CHECK_CHARACTERS = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'] as const;

export type CheckCharacter = (typeof CHECK_CHARACTERS)[number];

const SEVENTEEN_DIGITS = /^[0-9]{17}$/;

/**
 * Computes the check character of the first 17 digits of an identity number.
 * @throws RangeError if `first17` is not exactly 17 ASCII digits (a caller's bug, not a citizen's input).
 */
export function checkCharacterOf(first17: string): CheckCharacter {
  if (!SEVENTEEN_DIGITS.test(first17)) {
    throw new RangeError('The check character is computed from exactly 17 ASCII digits');
  }
  let sum = 0;
  WEIGHTS.forEach((weight, index) => {
    sum += weight * Number(first17.charAt(index));
  });
  return CHECK_CHARACTERS[sum % 11] as CheckCharacter;
}

/** Appends the check character to 17 digits: the way tests and fixtures build valid numbers. */
export function withCheckDigit(first17: string): string {
  return first17 + checkCharacterOf(first17);
}

/** Whether an 18-character string of 17 digits and a check character carries the right check character. */
export function hasValidCheckCharacter(number18: string): boolean {
  const first17 = number18.slice(0, 17);
  return number18.length === 18 && SEVENTEEN_DIGITS.test(first17) && checkCharacterOf(first17) === number18.charAt(17);
}
