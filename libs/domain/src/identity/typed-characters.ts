/**
 * The two harmless differences between what a citizen types and what a register holds, shared by identity and
 * phone numbers: surrounding spaces (a pasted spreadsheet cell, an IME's ideographic space) and full-width digits
 * (a Chinese IME in full-width mode). Nothing else is ever changed; callers refuse every other character.
 */

/** ASCII space, tab, line feed, carriage return and the ideographic space U+3000, at either end only. */
const SURROUNDING_SPACES = /^[ \t\n\r\u3000]+|[ \t\n\r\u3000]+$/g;

/** Full-width digits U+FF10–U+FF19 (０–９). */
const FULL_WIDTH_DIGITS = /[\uFF10-\uFF19]/g;

export function trimSurroundingSpaces(input: string): string {
  return input.replace(SURROUNDING_SPACES, '');
}

export function toAsciiDigits(input: string): string {
  return input.replace(FULL_WIDTH_DIGITS, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
}
