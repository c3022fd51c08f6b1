import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, toShanghaiDate } from '@minsheng/domain';
import { appendCaseEvents, PiiCipher, writeOutbox } from '@minsheng/infra';
import { machineFor } from '@minsheng/workflows';
import { type IdempotentResult } from '../portals/idempotency.js';
import { portalActor, type PortalIdentity } from '../portals/portal-identity.js';
import { type CheckedApplication } from './check-application.js';

/** Purposes bound into the ciphertexts (AES-GCM additional data), so a value cannot be moved between columns. */
export const PII_PURPOSE = {
  idNumber: 'applicant.id_number',
  name: 'applicant.name',
  application: 'case.application',
} as const;

export interface SubmittedApplication {
  readonly caseId: string;
  readonly trackingNumber: string;
  readonly status: 'submitted';
  readonly itemCode: string;
  readonly procedureId: string;
  readonly leadDepartment: string;
  readonly acceptingOffice: Office;
  readonly approvingOffice: Office;
  readonly portalReference: string;
  readonly submittedAt: string;
  readonly links: { readonly self: string; readonly events: string };
}

interface Office {
  readonly level: string;
  readonly divisionCode: string;
  readonly divisionName: string;
  readonly name: string;
}

interface PgError {
  code?: string;
  constraint?: string;
  driverError?: { code?: string; constraint?: string };
}

/**
 * Writes an accepted application in one transaction (design.md "The way a case travels"): the applicant (ID number
 * and name encrypted, looked up by keyed hash), the case with its tracking number, the first event of its chain and
 * the outbox row that asks the engine to apply SUBMITTED. Personal data goes only into ciphertext columns: the
 * event, the outbox payload (hence the job) and `facts` carry ids, codes and amounts.
 */
@Injectable()
export class SubmitApplication {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
  ) {}

  async submit(
    tx: EntityManager,
    application: CheckedApplication,
    portal: PortalIdentity,
    requestId: string,
  ): Promise<IdempotentResult> {
    const now = new Date();
    const actor = portalActor(portal);
    const machine = machineFor(application.procedureId);
    const { routing, request } = application;
    try {
      // A savepoint, so a unique violation can be answered precisely without aborting the whole transaction.
      return await tx.transaction(async (inner) => {
        const applicantId = await this.upsertApplicant(inner, application);
        const [{ seq }] = (await inner.query(`SELECT nextval('case_tracking_seq')::bigint AS seq`)) as [
          { seq: string },
        ];
        const trackingNumber = `WLMQ-${toShanghaiDate(now).slice(0, 4)}-${seq.padStart(8, '0')}`;
        // The open-case rule is the partial unique index; ON CONFLICT answers it without an error in the log.
        const inserted = (await inner.query(
          `INSERT INTO cases (tracking_number, item_code, procedure_id, machine_id, machine_version, snapshot, status,
                              applicant_id, portal_id, portal_reference, department_code, accepting_division,
                              approving_division, application_encrypted, facts, submitted_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, NULL, 'submitted', $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
           ON CONFLICT (applicant_id, item_code) WHERE closed_at IS NULL DO NOTHING
           RETURNING id`,
          [
            trackingNumber,
            application.item.code,
            application.procedureId,
            machine.id,
            machine.version,
            applicantId,
            portal.id,
            request.portalReference,
            routing.leadDepartment,
            routing.accepting.divisionCode,
            routing.approving.divisionCode,
            this.cipher.encrypt(JSON.stringify(request), PII_PURPOSE.application),
            JSON.stringify(application.facts),
            now.toISOString(),
          ],
        )) as { id: string }[];
        const caseId = inserted[0]?.id;
        if (caseId === undefined) throw await this.alreadyOpen(inner, application);
        await appendCaseEvents(inner, caseId, { seq: 0, hash: null }, [
          {
            id: randomUUID(),
            type: 'APPLICATION_SUBMITTED',
            actor,
            payload: {
              itemCode: application.item.code,
              procedureId: application.procedureId,
              machine: `${machine.id}@${machine.version}`,
              trackingNumber,
              portalReference: request.portalReference,
              acceptingDivision: routing.accepting.divisionCode,
              approvingDivision: routing.approving.divisionCode,
              materials: request.materials.map((m) => ({ type: m.type, sha256: m.sha256 })),
            },
            occurredAt: now,
            requestId,
          },
        ]);
        await writeOutbox(inner, [
          {
            kind: 'case.command',
            caseId,
            payload: { caseId, commandId: randomUUID(), event: { type: 'SUBMITTED' }, actor, requestId },
            requestId,
          },
        ]);
        const body: SubmittedApplication = {
          caseId,
          trackingNumber,
          status: 'submitted',
          itemCode: application.item.code,
          procedureId: application.procedureId,
          leadDepartment: routing.leadDepartment,
          acceptingOffice: officeOf(routing.accepting),
          approvingOffice: officeOf(routing.approving),
          portalReference: request.portalReference,
          submittedAt: now.toISOString(),
          links: { self: `/v1/cases/${caseId}`, events: `/v1/cases/${caseId}/events` },
        };
        return { status: 202, body: body as unknown as Record<string, unknown>, caseId };
      });
    } catch (error) {
      const pg = error as PgError;
      const constraint = pg.driverError?.constraint ?? pg.constraint;
      if ((pg.driverError?.code ?? pg.code) !== '23505') throw error;
      if (constraint === 'UQ_cases_open_per_applicant_item') {
        throw await this.alreadyOpen(tx, application);
      }
      if (constraint === 'UQ_cases_portal_reference') {
        throw new DomainError('CASE.PORTAL_REFERENCE_TAKEN', 'this portal already used this portalReference', {
          field: 'portalReference',
        });
      }
      throw error;
    }
  }

  private async upsertApplicant(tx: EntityManager, application: CheckedApplication): Promise<string> {
    const hash = this.cipher.lookupHash(application.applicantIdNumber, PII_PURPOSE.idNumber);
    const [{ id }] = (await tx.query(
      `INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted) VALUES ($1, $2, $3)
       ON CONFLICT (id_number_hash) DO UPDATE SET name_encrypted = EXCLUDED.name_encrypted
       RETURNING id`,
      [
        hash,
        this.cipher.encrypt(application.applicantIdNumber, PII_PURPOSE.idNumber),
        this.cipher.encrypt(application.request.applicant.name, PII_PURPOSE.name),
      ],
    )) as [{ id: string }];
    return id;
  }

  private async alreadyOpen(tx: EntityManager, application: CheckedApplication): Promise<DomainError> {
    const hash = this.cipher.lookupHash(application.applicantIdNumber, PII_PURPOSE.idNumber);
    const rows = (await tx.query(
      `SELECT c.id, c.tracking_number FROM cases c JOIN applicants a ON a.id = c.applicant_id
        WHERE a.id_number_hash = $1 AND c.item_code = $2 AND c.closed_at IS NULL`,
      [hash, application.item.code],
    )) as { id: string; tracking_number: string }[];
    const open = rows[0];
    return new DomainError('CASE.ALREADY_OPEN', `the applicant already has an open case for ${application.item.code}`, {
      ...(open ? { openCase: { caseId: open.id, trackingNumber: open.tracking_number } } : {}),
    });
  }
}

function officeOf(office: CheckedApplication['routing']['accepting']): Office {
  return {
    level: office.level,
    divisionCode: office.divisionCode,
    divisionName: office.divisionName,
    name: office.officeName,
  };
}
