/** Stable error codes of household data. Details carry the `field`, never the personal data itself. */
export const HOUSEHOLD_ERRORS = {
  noMembers: 'HOUSEHOLD.NO_MEMBERS',
  badBirthDate: 'HOUSEHOLD.BAD_BIRTH_DATE',
} as const;
