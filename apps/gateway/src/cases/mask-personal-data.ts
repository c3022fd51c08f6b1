import { maskIdNumber } from '@minsheng/domain';

/** Keys whose values are personal data and are never shown to a portal in an event payload. */
const PERSONAL_KEYS = new Set([
  'name',
  'idNumber',
  'phone',
  'address',
  'accountNumber',
  'accountHolder',
  'certificateNumber',
  'fileName',
]);

/** 18 characters that look like an identity number (17 digits and a check character), anywhere in a string. */
const ID_NUMBER_LIKE = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])/g;

/**
 * Masks personal data in an event payload before a portal sees it (docs/architecture.md invariant 9): identity numbers
 * become `650102********123X` wherever they appear; values under personal keys become `***`.
 */
export function maskPersonalData(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(ID_NUMBER_LIKE, (id) => maskIdNumber(id.toUpperCase()));
  if (Array.isArray(value)) return value.map(maskPersonalData);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
        key,
        PERSONAL_KEYS.has(key) && inner !== null && inner !== undefined ? '***' : maskPersonalData(inner),
      ]),
    );
  }
  return value;
}
