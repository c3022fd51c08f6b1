export type { CheckCharacter } from './check-character.js';
export { checkCharacterOf, hasValidCheckCharacter, withCheckDigit } from './check-character.js';
export type {
  IdNumberErrorCode,
  IdNumberKind,
  ParseIdNumberOptions,
  ResidentIdNumber,
  Sex,
} from './resident-id-number.js';
export { ID_NUMBER_ERRORS, maskIdNumber, normaliseIdNumber, parseResidentIdNumber } from './resident-id-number.js';
export type { PhoneNumber } from './phone-number.js';
export { PHONE_ERRORS, URUMQI_AREA_CODE, parsePhoneNumber } from './phone-number.js';
export { HONG_KONG_MACAO_TAIWAN_PERMIT_CODES, MAINLAND_PROVINCE_CODES, TAIWAN_PROVINCE_CODE } from './region-codes.js';
