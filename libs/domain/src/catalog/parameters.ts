import { DomainError } from '../errors/domain-error.js';
import { type Evidence, isConfirmed } from './evidence.js';
import type { ServiceItemCode } from './service-item.js';

/** Units of standard parameters. Amounts are always integer fen (分). */
export const PARAMETER_UNITS = [
  'fen-per-person-per-month',
  'fen-per-person-per-year',
  'fen-per-household-per-year',
  'fen-per-case',
  'multiple-of-local-minimum-living-standard', // × the local 低保 standard of the same area
  'multiple-of-regional-urban-minimum-living-standard', // × the 自治区 urban 低保 monthly standard
  'multiple-of-minimum-wage',
  'square-metres-per-household',
  'tonnes-per-household-per-year',
  'rides-per-month',
  'months',
  'health-checks',
  'day-of-month', // 1–28: a day every month has (the payment run's day, docs/money.md)
  'working-days',
] as const;
export type ParameterUnit = (typeof PARAMETER_UNITS)[number];

/** How the value binds: the amount itself, an average over recipients, or a floor or a cap. */
export const PARAMETER_BOUNDS = ['exact', 'average', 'at-least', 'at-most', 'below'] as const;
export type ParameterBound = (typeof PARAMETER_BOUNDS)[number];

/** `YYYY-MM-DD`, a calendar date in China Standard Time. */
import { type IsoDate } from '../calendar/calendar-date.js';

export interface StandardParameter {
  readonly key: string;
  readonly itemCode: ServiceItemCode;
  /** Integer fen for the fen units; a plain number (a multiple, a count) otherwise. */
  readonly value: number;
  readonly unit: ParameterUnit;
  readonly bound: ParameterBound;
  /** First day in force, inclusive; null when the start is not known (in force before the next known date). */
  readonly validFrom: IsoDate | null;
  /** Only the year (or month) of `validFrom` is known; the day is the first of the period. */
  readonly validFromPrecision: 'day' | 'month' | 'year';
  /**
   * First day no longer in force, exclusive. Null means no later value is known: it does not mean the value is
   * still current (several figures are the latest found, years old; docs/domain.md §6).
   */
  readonly validTo: IsoDate | null;
  /**
   * The last day the source is known to describe, for a figure found only for an old year (the 2015 低保 standard):
   * used later, the value is stale and every amount computed from it is provisional (docs/domain.md §7). Null when
   * the source has no such horizon.
   */
  readonly knownUntil?: IsoDate | null;
  readonly source: string;
  readonly evidence: Evidence;
  /** Derived from the evidence: only V and S values are confirmed; R, G and unknown values are configuration. */
  readonly confirmed: boolean;
  readonly note: string | null;
}

export type StandardParameterDefinition = Omit<StandardParameter, 'confirmed' | 'note' | 'validFromPrecision'> & {
  readonly note?: string;
  readonly validFromPrecision?: StandardParameter['validFromPrecision'];
};

export function defineParameter(definition: StandardParameterDefinition): StandardParameter {
  return {
    ...definition,
    validFromPrecision: definition.validFromPrecision ?? 'day',
    note: definition.note ?? null,
    confirmed: isConfirmed(definition.evidence),
  };
}

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function assertIsoDate(date: string): void {
  if (!ISO_DATE.test(date)) {
    throw new DomainError('PARAMETER.INVALID_DATE', `not a calendar date (YYYY-MM-DD): ${date}`, { field: 'date' });
  }
}

function inForce(parameter: StandardParameter, date: IsoDate): boolean {
  // ISO dates compare correctly as strings.
  return (
    (parameter.validFrom === null || parameter.validFrom <= date) &&
    (parameter.validTo === null || date < parameter.validTo)
  );
}

/**
 * The parameter record in force on `date` (validFrom inclusive, validTo exclusive), or undefined if none is.
 * The record, not the bare number, is returned so that unit, bound and evidence travel with the value.
 * Throws `PARAMETER.INVALID_DATE` for a malformed date and `PARAMETER.OVERLAPPING_PERIODS` if the data has two
 * records in force on the same day.
 */
export function parameterValueAt(
  parameters: readonly StandardParameter[],
  key: string,
  date: IsoDate,
): StandardParameter | undefined {
  assertIsoDate(date);
  const matches = parameters.filter((parameter) => parameter.key === key && inForce(parameter, date));
  if (matches.length > 1) {
    throw new DomainError(
      'PARAMETER.OVERLAPPING_PERIODS',
      `${matches.length} values of ${key} are in force on ${date}`,
      {
        field: 'key',
        key,
        date,
      },
    );
  }
  return matches[0];
}

/** Every record of `key`, oldest first (a record with an unknown start comes first). */
export function parameterHistory(parameters: readonly StandardParameter[], key: string): readonly StandardParameter[] {
  return parameters
    .filter((parameter) => parameter.key === key)
    .sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
}

/** The catalog loader's id of a code parameter value: its key and start (one definition for the seed and its reader). */
export function parameterSeedId(parameter: Pick<StandardParameter, 'key' | 'validFrom'>): string {
  return `${parameter.key}@${parameter.validFrom ?? 'open'}`;
}
