import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Clock, DomainError, UNSEEDED_PARAMETER_KEYS, todayOn } from '@minsheng/domain';
import {
  InjectClock,
  isFenUnit,
  PARAMETER_NOT_IN_FORCE_ALERT,
  placeParameterValue,
  PublishedParameters,
  recordAudit,
  resolveOperatorAlerts,
  transactionWithRetry,
} from '@minsheng/infra';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { type PublishParameterBody } from './catalog.request.js';

export interface PublishedParameter {
  readonly id: string;
  readonly key: string;
  readonly closedId: string | null;
  readonly supersededId: string | null;
}

/**
 * An operator publishes a new value of a standard parameter (a new year's minimum-living standard, a corrected
 * subsidy) without a deploy. The value joins the key's timeline from `validFrom`; the value in force until then
 * stays in force until then. The change and its audit row commit together.
 */
@Injectable()
export class PublishParameter {
  constructor(
    private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
    private readonly parameters: PublishedParameters,
  ) {}

  async publish(body: PublishParameterBody, staff: StaffIdentity, requestId: string): Promise<PublishedParameter> {
    const today = todayOn(this.clock);
    // Cases already decided were decided on the value then in force: a value never starts in the past.
    if (body.validFrom < today) {
      throw new DomainError(
        'CATALOG.PARAMETER_BACKDATED',
        `a value can start today (${today}) or later, not on ${body.validFrom}`,
        { field: 'validFrom' },
      );
    }
    const published = await transactionWithRetry(this.dataSource, async (tx) => {
      const [row] = (await tx.query(
        `SELECT item_code, unit, bound FROM catalog_parameters WHERE key = $1
          ORDER BY superseded_at IS NULL DESC, COALESCE(valid_from, '-infinity'::date) DESC, id DESC LIMIT 1`,
        [body.key],
      )) as { item_code: string; unit: string; bound: string }[];
      // A key whose value no source gives is defined in the code without a seed value (docs/domain.md §7).
      const unseeded = UNSEEDED_PARAMETER_KEYS.find((p) => p.key === body.key);
      const template =
        row ?? (unseeded && { item_code: unseeded.itemCode, unit: unseeded.unit, bound: unseeded.bound });
      if (template === undefined) {
        throw new DomainError('CATALOG.PARAMETER_NOT_FOUND', `no standard parameter has the key ${body.key}`, {
          field: 'key',
        });
      }
      if (isFenUnit(template.unit) && !Number.isSafeInteger(body.value)) {
        throw new DomainError('VALIDATION.FAILED', 'the request body is not valid', {
          errors: [{ field: 'value', code: 'NOT_INTEGER_FEN', message: `${template.unit} values are integer fen` }],
        });
      }
      // A day every month has (docs/money.md "Payment runs"): the 29th to 31st would skip February.
      if (template.unit === 'day-of-month' && !(Number.isInteger(body.value) && body.value >= 1 && body.value <= 28)) {
        throw new DomainError('VALIDATION.FAILED', 'the request body is not valid', {
          errors: [
            { field: 'value', code: 'NOT_A_DAY_OF_MONTH', message: 'a day of the month is a whole number 1–28' },
          ],
        });
      }
      const placed = await placeParameterValue(tx, {
        key: body.key,
        itemCode: template.item_code,
        value: body.value,
        unit: template.unit,
        bound: template.bound,
        validFrom: body.validFrom,
        validFromPrecision: 'day',
        validTo: null,
        source: body.source,
        evidence: body.evidence,
        note: body.note ?? null,
        reason: body.reason,
        origin: 'operator',
        seedId: null,
        publishedBy: `staff:${staff.subject}`,
      });
      // An amount that failed for want of this key can now be retried: its alert is answered.
      await resolveOperatorAlerts(tx, PARAMETER_NOT_IN_FORCE_ALERT, body.key);
      await recordAudit(tx, {
        actor: `staff:${staff.subject}`,
        actorRole: 'operator',
        action: 'catalog.parameter.publish',
        target: `parameter:${body.key}`,
        details: {
          id: placed.id,
          itemCode: template.item_code,
          value: body.value,
          unit: template.unit,
          validFrom: body.validFrom,
          validTo: placed.validTo,
          evidence: body.evidence,
          source: body.source,
          reason: body.reason,
          closedId: placed.closedId,
          supersededId: placed.supersededId,
        },
        requestId,
      });
      return { id: placed.id, key: body.key, closedId: placed.closedId, supersededId: placed.supersededId };
    });
    // This process computes with the new value at once; the others within their refresh interval.
    await this.parameters.reload();
    return published;
  }
}
