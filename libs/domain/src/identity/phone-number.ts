import { DomainError } from '../errors/domain-error.js';
import { toAsciiDigits, trimSurroundingSpaces } from './typed-characters.js';

/** Stable error code of phone-number validation. Messages never contain the number (personal data). */
export const PHONE_ERRORS = { badFormat: 'PHONE.BAD_FORMAT' } as const;

/** Urumqi's long-distance area code (乌鲁木齐 区号). */
export const URUMQI_AREA_CODE = '0991';

/** A checked contact number. */
export type PhoneNumber =
  | {
      readonly kind: 'mobile';
      /** 11 digits, without country code: `13912345678`. */
      readonly normalised: string;
      /** `+8613912345678`. */
      readonly e164: string;
    }
  | {
      readonly kind: 'fixed-line';
      /** Area code, hyphen, local number: `0991-2345678`. */
      readonly normalised: string;
      readonly areaCode: typeof URUMQI_AREA_CODE;
      /** 7 or 8 digits. */
      readonly localNumber: string;
      /** `+869912345678` (the trunk prefix 0 is dropped after the country code). */
      readonly e164: string;
    };

/** Mainland mobile numbers: 11 digits, `1` then `3`–`9` (the number segments in use). */
const MOBILE = /^(?:\+86|86)?(1[3-9][0-9]{9})$/;

/** Urumqi fixed lines: 0991, an optional hyphen, 7 or 8 digits not starting with 0 (trunk) or 1 (special services). */
const URUMQI_FIXED_LINE = /^0991-?([2-9][0-9]{6,7})$/;

/**
 * Checks a contact number: a mainland mobile number or an Urumqi fixed line.
 *
 * **Normalisation** (nothing else is ever changed): spaces at either end are removed (ASCII and ideographic);
 * full-width digits become ASCII digits; a `+86` or `86` country code before a mobile number is dropped; a fixed
 * line written without the hyphen after `0991` gets one. Spaces or hyphens inside a mobile number, a hyphen
 * anywhere else in a fixed line, `0086`, and fixed lines of other area codes are refused: a number from elsewhere
 * is entered as a mobile number or not at all.
 *
 * @throws DomainError `PHONE.BAD_FORMAT`, whose details carry only `field`.
 */
export function parsePhoneNumber(input: string, options: { readonly field?: string } = {}): PhoneNumber {
  const candidate = toAsciiDigits(trimSurroundingSpaces(input));

  const mobile = MOBILE.exec(candidate)?.[1];
  if (mobile !== undefined) {
    return { kind: 'mobile', normalised: mobile, e164: `+86${mobile}` };
  }
  const localNumber = URUMQI_FIXED_LINE.exec(candidate)?.[1];
  if (localNumber !== undefined) {
    return {
      kind: 'fixed-line',
      normalised: `${URUMQI_AREA_CODE}-${localNumber}`,
      areaCode: URUMQI_AREA_CODE,
      localNumber,
      e164: `+86${URUMQI_AREA_CODE.slice(1)}${localNumber}`,
    };
  }
  throw new DomainError(
    PHONE_ERRORS.badFormat,
    'A phone number is a mainland mobile number (11 digits) or an Urumqi fixed line (0991- and 7 or 8 digits)',
    options.field === undefined ? {} : { field: options.field },
  );
}
