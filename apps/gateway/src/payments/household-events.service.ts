import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  type Clock,
  DomainError,
  type EntitlementStatus,
  householdEventChange,
  type HouseholdEventKind,
  type IsoDate,
  parseResidentIdNumber,
  statusAfter,
  todayOn,
} from '@minsheng/domain';
import {
  changeEntitlement,
  type ChainHead,
  InjectClock,
  PiiCipher,
  recordAudit,
  transactionWithRetry,
} from '@minsheng/infra';
import { PII_PURPOSE } from '../applications/submit-application.js';
import { type StaffIdentity } from '../auth/staff-identity.js';

export interface HouseholdEventAnswer {
  readonly eventId: string;
  readonly kind: HouseholdEventKind;
  readonly change: 'ending' | 'suspension';
  readonly reason: string;
  readonly effectiveMonth: string;
  /** The entitlements this event changed, each with the event recorded on its case's chain. */
  readonly changed: readonly {
    readonly entitlementId: string;
    readonly caseId: string;
    readonly from: EntitlementStatus;
    readonly to: EntitlementStatus;
    readonly event: string;
  }[];
  /** The person's other entitlements not ended, whose status does not take the change (e.g. suspended already). */
  readonly unchanged: readonly { readonly entitlementId: string; readonly caseId: string; readonly status: string }[];
  /** True when this event id was received before: the first answer, and nothing changed now. */
  readonly replayed: boolean;
}

/**
 * An event another office's register reports about a household (docs/money.md "Changes triggered by events"): a
 * death registration, a move out of the district, an income above the standard. It ends or suspends the
 * entitlements, not yet ended, of the applicant named by resident ID number, with the rule's reason code and
 * effective month, each change an event on its case's chain. Kept by its event id: the same event again answers
 * the first answer and changes nothing; the same id with a different event is refused.
 */
@Injectable()
export class HouseholdEvents {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async receive(
    body: { eventId: string; kind: HouseholdEventKind; idNumber: string; occurredOn: string; source: string },
    staff: StaffIdentity,
    requestId: string,
  ): Promise<HouseholdEventAnswer> {
    const today = todayOn(this.clock);
    const person = parseResidentIdNumber(body.idNumber, { today, field: 'idNumber' });
    if (body.occurredOn > today) {
      throw new DomainError('VALIDATION.FAILED', 'the event has not happened yet', {
        errors: [{ field: 'occurredOn', code: 'IN_THE_FUTURE', message: `occurredOn is after today (${today})` }],
      });
    }
    const idHash = this.cipher.lookupHash(person.normalised, PII_PURPOSE.idNumber);
    const requestHash = createHash('sha256')
      .update(JSON.stringify([body.kind, idHash, body.occurredOn, body.source]))
      .digest('hex');
    const rule = householdEventChange(body.kind, body.occurredOn as IsoDate);
    const actor = `staff:${staff.subject}`;
    return transactionWithRetry(this.dataSource, async (tx) => {
      const now = this.clock.now();
      // The event id first: a second request with it waits here for the first to commit, then finds its answer.
      const claimed = (await tx.query(
        `INSERT INTO household_events (event_id, kind, request_hash, answer, received_by, received_at, request_id)
         VALUES ($1, $2, $3, '{}', $4, $5, $6) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        [body.eventId, body.kind, requestHash, actor, now, requestId],
      )) as unknown[];
      if (claimed.length === 0) {
        const [earlier] = (await tx.query(`SELECT request_hash, answer FROM household_events WHERE event_id = $1`, [
          body.eventId,
        ])) as { request_hash: string; answer: HouseholdEventAnswer }[];
        if (earlier!.request_hash !== requestHash) {
          throw new DomainError('HOUSEHOLD_EVENT.CONFLICT', `event ${body.eventId} was received with other content`, {
            field: 'eventId',
          });
        }
        return { ...earlier!.answer, replayed: true };
      }
      const entitlements = (await tx.query(
        `SELECT e.id, e.case_id, e.status FROM entitlements e JOIN applicants a ON a.id = e.applicant_id
         WHERE a.id_number_hash = $1 AND e.status <> 'ended' ORDER BY e.case_id, e.id`,
        [idHash],
      )) as { id: string; case_id: string; status: EntitlementStatus }[];
      // The cases in id order first (the lock order: the case before its payments, docs/operations.md).
      const heads = new Map<string, ChainHead>(
        (
          (await tx.query(
            `SELECT id, last_event_seq, last_event_hash FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
            [[...new Set(entitlements.map((e) => String(e.case_id)))]],
          )) as { id: string; last_event_seq: number; last_event_hash: string | null }[]
        ).map((c) => [String(c.id), { seq: c.last_event_seq, hash: c.last_event_hash }]),
      );
      const changed: HouseholdEventAnswer['changed'][number][] = [];
      const unchanged: HouseholdEventAnswer['unchanged'][number][] = [];
      for (const entitlement of entitlements) {
        const [caseId, entitlementId] = [String(entitlement.case_id), String(entitlement.id)];
        if (statusAfter(entitlement.status, rule.change) === null) {
          unchanged.push({ entitlementId, caseId, status: entitlement.status });
          continue;
        }
        const done = await changeEntitlement(tx, heads.get(caseId)!, {
          entitlementId,
          caseId,
          change: rule.change,
          reason: rule.reason,
          effectiveMonth: rule.effectiveMonth,
          actor,
          now,
          requestId,
          payload: {
            householdEvent: {
              eventId: body.eventId,
              kind: body.kind,
              occurredOn: body.occurredOn,
              source: body.source,
            },
          },
        });
        heads.set(caseId, done.head);
        changed.push({ entitlementId, caseId, from: done.from, to: done.status, event: done.event });
      }
      const answer: HouseholdEventAnswer = {
        eventId: body.eventId,
        kind: body.kind,
        change: rule.change,
        reason: rule.reason,
        effectiveMonth: rule.effectiveMonth,
        changed,
        unchanged,
        replayed: false,
      };
      await tx.query(`UPDATE household_events SET answer = $2 WHERE event_id = $1`, [
        body.eventId,
        JSON.stringify(answer),
      ]);
      await recordAudit(tx, {
        actor,
        actorRole: 'operator',
        action: 'household-event.receive',
        target: `household-event:${body.eventId}`,
        details: { kind: body.kind, changed: changed.length, unchanged: unchanged.length },
        requestId,
      });
      return answer;
    });
  }
}
