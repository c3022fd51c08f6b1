import { assertIsoDate, isIsoDate } from '../calendar/calendar-date.js';
import { DomainError } from '../errors/domain-error.js';
import { hasValidCheckCharacter } from './check-character.js';
import { HONG_KONG_MACAO_TAIWAN_PERMIT_CODES, MAINLAND_PROVINCE_CODES, TAIWAN_PROVINCE_CODE } from './region-codes.js';
import { toAsciiDigits, trimSurroundingSpaces } from './typed-characters.js';

/** Stable error codes of identity-number validation. Messages never contain the number (personal data). */
export const ID_NUMBER_ERRORS = {
  badFormat: 'ID_NUMBER.BAD_FORMAT',
  badLength: 'ID_NUMBER.BAD_LENGTH',
  badRegion: 'ID_NUMBER.BAD_REGION',
  badBirthDate: 'ID_NUMBER.BAD_BIRTH_DATE',
  futureBirthDate: 'ID_NUMBER.FUTURE_BIRTH_DATE',
  badCheckDigit: 'ID_NUMBER.BAD_CHECK_DIGIT',
} as const;

export type IdNumberErrorCode = (typeof ID_NUMBER_ERRORS)[keyof typeof ID_NUMBER_ERRORS];

/**
 * Which card the number belongs to:
 * - `resident`: 居民身份证 (GB 11643-1999);
 * - `hk-macao-taiwan-resident`: 港澳台居民居住证, address code 810000, 820000 or 830000;
 * - `foreign-permanent-resident`: 外国人永久居留身份证, 2023 edition, 18 characters beginning with 9.
 */
export type IdNumberKind = 'resident' | 'hk-macao-taiwan-resident' | 'foreign-permanent-resident';

export type Sex = 'male' | 'female';

/** A checked identity number and what it encodes. */
export interface ResidentIdNumber {
  /** 18 characters: 17 ASCII digits and a check character `0`–`9` or upper-case `X`. */
  readonly normalised: string;
  readonly kind: IdNumberKind;
  /**
   * Six-digit GB/T 2260 code: the address code (digits 1–6) of a resident's or a permit holder's number; for a
   * foreign permanent resident, the province of the accepting authority (digits 2–3) followed by `0000`.
   */
  readonly regionCode: string;
  /** ISO calendar date `YYYY-MM-DD`. */
  readonly birthDate: string;
  /** From the parity of the 17th digit (the last of the sequence code): odd male, even female (GB 11643-1999 §4.4). */
  readonly sex: Sex;
}

export interface ParseIdNumberOptions {
  /** Today's calendar date in China Standard Time, `YYYY-MM-DD`: no one is born after it. */
  readonly today: string;
  /** Path of the input in the request (e.g. `applicant.idNumber`), copied into the error details. */
  readonly field?: string;
}

/** Birth dates before this are refused as implausible for a living applicant (and for the 1999 standard). */
const EARLIEST_BIRTH_DATE = '1900-01-01';

const FOREIGN_PERMANENT_RESIDENT_LEADING_DIGIT = '9';

/**
 * Checks an identity number and reads what it encodes.
 *
 * **Normalisation.** Only these changes are made, and each is harmless: ASCII spaces, tabs, line breaks and
 * ideographic spaces (U+3000) at either end are removed; full-width digits `０`–`９` become ASCII digits; `Ｘ`,
 * `ｘ` and `x` become `X`. Anything else, including a space or hyphen inside the number, is refused with
 * `ID_NUMBER.BAD_FORMAT`: a number is never silently mangled into a different one.
 *
 * **Rules**, checked in this order (the first failure is thrown):
 * 1. 18 characters (`ID_NUMBER.BAD_LENGTH`; the 15-digit first-generation numbers expired in 2013);
 *    17 digits then a digit or `X` (`ID_NUMBER.BAD_FORMAT`);
 * 2. region (`ID_NUMBER.BAD_REGION`):
 *    - a leading `9` is a foreign permanent resident's card (2023 edition): digits 2–3 must be a mainland
 *      province code (the card is issued on the mainland); digits 4–6, the nationality code, are not checked;
 *    - 810000, 820000 and 830000 are the residence permits of Hong Kong, Macao and Taiwan residents; any other
 *      code beginning with 81, 82 or 83 is refused;
 *    - otherwise digits 1–2 must be a GB/T 2260 province code: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65 or
 *      71 (Taiwan); the county part (digits 3–6) is not checked because the county table changes over time;
 * 3. birth date, digits 7–14 as `YYYYMMDD`: a real calendar date not before 1900-01-01 (`ID_NUMBER.BAD_BIRTH_DATE`)
 *    and not after `today` (`ID_NUMBER.FUTURE_BIRTH_DATE`);
 * 4. the check character, ISO 7064 MOD 11-2 (`ID_NUMBER.BAD_CHECK_DIGIT`).
 *
 * Errors carry only the `field` in their details, never the number or a part of it.
 *
 * @throws DomainError with one of {@link ID_NUMBER_ERRORS}; `CALENDAR.INVALID_DATE` if `today` is not a date.
 */
export function parseResidentIdNumber(input: string, options: ParseIdNumberOptions): ResidentIdNumber {
  assertIsoDate(options.today, 'today');
  const refuse = (code: IdNumberErrorCode, message: string): never => {
    throw new DomainError(code, message, options.field === undefined ? {} : { field: options.field });
  };

  const normalised = normaliseIdNumber(input);
  if (!/^[0-9X]*$/.test(normalised)) {
    refuse(ID_NUMBER_ERRORS.badFormat, 'An identity number holds only digits and a final check character X');
  }
  if (normalised.length !== 18) {
    refuse(ID_NUMBER_ERRORS.badLength, 'An identity number has 18 characters');
  }
  if (!/^[0-9]{17}[0-9X]$/.test(normalised)) {
    refuse(ID_NUMBER_ERRORS.badFormat, 'Only the last character of an identity number may be X');
  }

  const region = regionOf(normalised);
  if (region === undefined) {
    return refuse(ID_NUMBER_ERRORS.badRegion, 'The identity number does not begin with a valid region code');
  }

  // Digits 7–14 on all three cards (the foreign card has 1 + 2 province + 3 nationality digits before them).
  const birthDate = `${normalised.slice(6, 10)}-${normalised.slice(10, 12)}-${normalised.slice(12, 14)}`;
  if (!isIsoDate(birthDate) || birthDate < EARLIEST_BIRTH_DATE) {
    refuse(ID_NUMBER_ERRORS.badBirthDate, 'The identity number does not contain a valid birth date');
  }
  if (birthDate > options.today) {
    refuse(ID_NUMBER_ERRORS.futureBirthDate, 'The identity number contains a birth date in the future');
  }

  if (!hasValidCheckCharacter(normalised)) {
    refuse(ID_NUMBER_ERRORS.badCheckDigit, 'The check character of the identity number does not match');
  }

  return {
    normalised,
    kind: region.kind,
    regionCode: region.regionCode,
    birthDate,
    sex: Number(normalised.charAt(16)) % 2 === 1 ? 'male' : 'female',
  };
}

/**
 * Masks a normalised identity number for display outside the case's own reviewers (design invariant 9):
 * the first 6 characters (the region), 8 stars in place of the birth date, the last 4. `650102199001011234` →
 * `650102********1234`.
 * @throws DomainError `ID_NUMBER.BAD_LENGTH` unless given 18 characters (never a partially masked number).
 */
export function maskIdNumber(normalised: string): string {
  if (normalised.length !== 18) {
    throw new DomainError(ID_NUMBER_ERRORS.badLength, 'Only an 18-character identity number can be masked');
  }
  return `${normalised.slice(0, 6)}********${normalised.slice(14)}`;
}

/** The normalisation documented on {@link parseResidentIdNumber}, without any validation. */
export function normaliseIdNumber(input: string): string {
  return toAsciiDigits(trimSurroundingSpaces(input)).replace(/[xＸｘ]/g, 'X');
}

function regionOf(normalised: string): { kind: IdNumberKind; regionCode: string } | undefined {
  if (normalised.startsWith(FOREIGN_PERMANENT_RESIDENT_LEADING_DIGIT)) {
    const province = normalised.slice(1, 3);
    return MAINLAND_PROVINCE_CODES.has(province)
      ? { kind: 'foreign-permanent-resident', regionCode: `${province}0000` }
      : undefined;
  }
  const addressCode = normalised.slice(0, 6);
  if (HONG_KONG_MACAO_TAIWAN_PERMIT_CODES.has(addressCode)) {
    return { kind: 'hk-macao-taiwan-resident', regionCode: addressCode };
  }
  const province = addressCode.slice(0, 2);
  return MAINLAND_PROVINCE_CODES.has(province) || province === TAIWAN_PROVINCE_CODE
    ? { kind: 'resident', regionCode: addressCode }
    : undefined;
}
