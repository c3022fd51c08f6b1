import { type IsoDate } from '../calendar/calendar-date.js';
import { DomainError } from '../errors/domain-error.js';
import { parameterValueAt, type StandardParameter } from '../catalog/parameters.js';

/**
 * A parameter value as an amount used it (docs/domain.md §7): the value, the period it is known to be in force, its
 * source and evidence tag, and whether it is provisional (an assumption or a recalled figure, not a confirmed one).
 */
export interface ParameterUse {
  readonly key: string;
  readonly value: number;
  readonly unit: string;
  readonly validFrom: IsoDate | null;
  readonly validTo: IsoDate | null;
  readonly source: string;
  readonly evidence: string;
  readonly note: string | null;
  /** The day whose value was taken (the day the procedure's rule names). */
  readonly on: IsoDate;
  /** The last day the source is known to describe, when it has one (docs/domain.md §7). */
  readonly knownUntil: IsoDate | null;
  /** Used after `knownUntil`: the figure is the latest found, not one known to be current. */
  readonly stale: boolean;
  /** Not confirmed (evidence R or G) or stale: an amount computed from it is provisional. */
  readonly provisional: boolean;
}

/** No value of a parameter is in force on the day an amount needs it: the operator must publish one. */
export class ParameterNotInForceError extends DomainError {
  constructor(
    readonly key: string,
    readonly date: IsoDate,
    purpose: string,
  ) {
    super('PARAMETER.NOT_IN_FORCE', `no value of ${key} is in force on ${date} (needed for ${purpose})`, {
      field: key,
      key,
      date,
    });
  }
}

/** The published value of `key` in force on `date`, with its provenance; throws if none is. */
export function useParameter(
  parameters: readonly StandardParameter[],
  key: string,
  date: IsoDate,
  purpose: string,
): ParameterUse {
  const found = parameterValueAt(parameters, key, date);
  if (found === undefined) throw new ParameterNotInForceError(key, date, purpose);
  const stale = found.knownUntil != null && date > found.knownUntil;
  return {
    key,
    value: found.value,
    unit: found.unit,
    validFrom: found.validFrom,
    validTo: found.validTo,
    source: found.source,
    evidence: found.evidence,
    note: found.note,
    on: date,
    knownUntil: found.knownUntil ?? null,
    stale,
    provisional: !found.confirmed || stale,
  };
}

/** A decimal share (0.9, 1.3) as an exact integer ratio, so money stays integer arithmetic (invariant 8). */
export function decimalRatio(value: number, field: string): { numerator: number; denominator: number } {
  if (!Number.isFinite(value) || value < 0) {
    throw new DomainError('PARAMETER.BAD_VALUE', `${field} must be a non-negative number`, { field });
  }
  const [, decimals = ''] = String(value).split('.');
  if (decimals.length > 6 || String(value).includes('e')) {
    throw new DomainError('PARAMETER.BAD_VALUE', `${field} has more than 6 decimals`, { field });
  }
  const denominator = 10 ** decimals.length;
  return { numerator: Math.round(value * denominator), denominator };
}
