import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type Clock, DomainError } from '@minsheng/domain';
import { appendCaseEvents, type CaseCommand, InjectClock, writeOutbox } from '@minsheng/infra';
import type { ObjectionFiledEvent } from '@minsheng/workflows';
import { type IdempotentResult } from '../portals/idempotency.js';
import { portalActor, type PortalIdentity } from '../portals/portal-identity.js';
import { machineAccepts, type CaseMachineRow } from './machine-accepts.js';

interface LockedCase extends CaseMachineRow {
  id: string;
  tracking_number: string;
  status: string;
  closed_at: Date | null;
  last_event_seq: number;
  last_event_hash: string | null;
}

/**
 * A portal's commands on its own case: withdraw it, hand in supplementary material, or file a resident's objection
 * during the public notice. Each records what the portal did as an event of the case's chain and asks the engine,
 * through the outbox, to apply the workflow event (`WITHDRAWN`, `SUPPLEMENT_RECEIVED`, `OBJECTION_FILED` of
 * libs/workflows events.ts); whether the case's state accepts it is the engine's decision. The event and the job carry codes and hashes, never file names or personal data.
 */
@Injectable()
export class CaseCommands {
  constructor(@InjectClock() private readonly clock: Clock) {}

  async withdraw(
    tx: EntityManager,
    portal: PortalIdentity,
    caseId: string,
    reason: string,
    requestId: string,
  ): Promise<IdempotentResult> {
    return this.record(tx, portal, caseId, requestId, {
      eventType: 'WITHDRAWAL_REQUESTED',
      payload: { reason },
      command: { type: 'WITHDRAWN', reason },
    });
  }

  async supplement(
    tx: EntityManager,
    portal: PortalIdentity,
    caseId: string,
    materials: readonly { type: string; sha256: string; reference: string }[],
    requestId: string,
  ): Promise<IdempotentResult> {
    return this.record(tx, portal, caseId, requestId, {
      eventType: 'SUPPLEMENT_SUBMITTED',
      payload: { materials: materials.map((m) => ({ type: m.type, sha256: m.sha256 })) },
      command: { type: 'SUPPLEMENT_RECEIVED', materials: [...new Set(materials.map((m) => m.type))] },
    });
  }

  /**
   * An objection a resident lodged through the portal: during the public notice (公示), or after a refusal where
   * the procedure allows one (法律援助法 art. 49, 公租房 re-review). Like the staff route it is taken exactly when
   * the case's machine takes OBJECTION_FILED, and 409 otherwise; the procedure opens the objection review. The
   * portal is the actor; the summary is the reason code.
   */
  async objection(
    tx: EntityManager,
    portal: PortalIdentity,
    caseId: string,
    reason: string,
    requestId: string,
  ): Promise<IdempotentResult> {
    const command: ObjectionFiledEvent = { type: 'OBJECTION_FILED', actor: portalActor(portal), summary: reason };
    return this.record(tx, portal, caseId, requestId, {
      eventType: 'OBJECTION_RECEIVED',
      payload: { reason, channel: 'portal' },
      command: { ...command },
      machineMustAccept: command,
    });
  }

  private async record(
    tx: EntityManager,
    portal: PortalIdentity,
    caseId: string,
    requestId: string,
    change: {
      eventType: string;
      payload: Record<string, unknown>;
      command: CaseCommand['event'];
      /** The case's machine must take this event now, checked under the row lock (409 CASE.WRONG_STATUS otherwise). */
      machineMustAccept?: ObjectionFiledEvent;
    },
  ): Promise<IdempotentResult> {
    const rows = /^[0-9a-f-]{36}$/i.test(caseId)
      ? ((await tx.query(
          `SELECT id, tracking_number, status, closed_at, last_event_seq, last_event_hash,
                  machine_id, machine_version, snapshot
             FROM cases WHERE id = $1 AND portal_id = $2 FOR UPDATE`,
          [caseId, portal.id],
        )) as LockedCase[])
      : [];
    const locked = rows[0];
    if (locked === undefined) throw new DomainError('CASE.NOT_FOUND', 'no case of this portal has this id');
    if (locked.closed_at !== null) {
      throw new DomainError('CASE.CLOSED', 'the case is closed', { trackingNumber: locked.tracking_number });
    }
    if (change.machineMustAccept !== undefined && !machineAccepts(locked, change.machineMustAccept)) {
      const what = change.machineMustAccept.type;
      throw new DomainError('CASE.WRONG_STATUS', `the case (${locked.status}) does not take ${what} now`, {
        trackingNumber: locked.tracking_number,
        // Not `status`: details spread into the problem body and would replace its HTTP status.
        caseStatus: locked.status,
      });
    }
    const actor = portalActor(portal);
    const commandId = randomUUID();
    const now = this.clock.now();
    await appendCaseEvents(tx, caseId, { seq: locked.last_event_seq, hash: locked.last_event_hash }, [
      { id: randomUUID(), type: change.eventType, actor, payload: change.payload, occurredAt: now, requestId },
    ]);
    await writeOutbox(tx, [
      {
        kind: 'case.command',
        caseId,
        payload: { caseId, commandId, event: change.command, actor, requestId },
        requestId,
      },
    ]);
    return {
      status: 202,
      caseId,
      body: {
        caseId,
        trackingNumber: locked.tracking_number,
        accepted: change.command.type,
        commandId,
        acceptedAt: now.toISOString(),
        links: { self: `/v1/cases/${caseId}`, events: `/v1/cases/${caseId}/events` },
      },
    };
  }
}
