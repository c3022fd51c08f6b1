import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { DomainError, toShanghaiDate, type Clock } from '@minsheng/domain';
import { chainEvents, PiiCipher, InjectClock } from '@minsheng/infra';
import { machineFor } from '@minsheng/workflows';
import {
  ABANDONED_AFTER_SECONDS,
  type EarlierRequest,
  IdempotencyService,
  type IdempotentResult,
  inProgress,
} from '../portals/idempotency.js';
import type { submittedApplicationSchema } from '../docs/api-schemas.js';
import { PortalKeys, unauthenticated } from '../portals/portal-keys.js';
import { portalActor, type PortalIdentity } from '../portals/portal-identity.js';
import { type CheckedApplication } from './check-application.js';
import { TrackingNumbers } from './tracking-numbers.js';

/** Purposes bound into the ciphertexts (AES-GCM additional data), so a value cannot be moved between columns. */
export const PII_PURPOSE = {
  idNumber: 'applicant.id_number',
  name: 'applicant.name',
  application: 'case.application',
} as const;

/** The operation bound into the request hash of an Idempotency-Key. */
const OPERATION = 'POST /v1/applications';

/**
 * Two-key advisory locks are a key space of their own (PostgreSQL docs, "Advisory Lock Functions"); this class
 * keeps intake's per-key locks apart from any other two-key lock.
 */
export const IDEMPOTENCY_LOCK_CLASS = 0x6d730001;

/** A lost race (see `INTAKE_SQL`) is run again; the second run sees the winner's committed rows. */
const ATTEMPTS = 3;

/** The answer to a submission: the `SubmittedApplication` schema of the API contract (docs/api.md). */
export type SubmittedApplication = z.output<typeof submittedApplicationSchema>;
type Office = SubmittedApplication['acceptingOffice'];

export interface Submission {
  readonly portal: PortalIdentity;
  readonly idempotencyKey: string;
  /** The body as received: its hash is what a replay must match. */
  readonly body: unknown;
  readonly application: CheckedApplication;
  readonly requestId: string;
}

/** What the statement found before writing, and whether it wrote. */
interface Outcome {
  live: boolean;
  earlier: EarlierRequest | null;
  /** The applicant's open case of the item; its id and tracking number only when it is this portal's. */
  open_case: { caseId?: string; trackingNumber?: string; samePortal: boolean } | null;
  reference_taken: boolean;
  locked: boolean;
  opened: boolean;
}

/**
 * One statement opens the case (docs/architecture.md "The way a case travels"): it checks that the portal's key is
 * still live, that the Idempotency-Key is unused, that the applicant has no open case of the item and that the portal
 * reference is free; then writes the applicant (ID number and name encrypted, found by keyed hash), the case with
 * its first event (hash chained), the outbox row that asks the engine to apply SUBMITTED, and the answer under
 * the Idempotency-Key. It answers what it found, so every refusal is known without another round trip.
 *
 * A request with the same key running at the same time holds the key's advisory lock: this one writes nothing and
 * answers IDEMPOTENCY.IN_PROGRESS, as a claim row did before. Two requests for the same applicant and item (or the
 * same reference) under different keys can both pass the checks; the loser's case insert meets the winner's row in
 * the unique index, and its event then has no case: `case_id` is NOT NULL, so that error undoes the whole statement
 * (nothing half-written) and the request runs again, now seeing the winner's case.
 */
const INTAKE_SQL = `
WITH checks AS (
  SELECT
    EXISTS (SELECT 1 FROM portal_api_keys k JOIN portals p ON p.id = k.portal_id
             WHERE k.prefix = $4::text AND k.portal_id = $1::uuid
               AND k.revoked_at IS NULL AND p.disabled_at IS NULL) AS live,
    (SELECT jsonb_build_object('request_hash', request_hash, 'response_status', response_status,
                               'response_body', response_body,
                               'abandoned', created_at < now() - make_interval(secs => $30::int))
       FROM idempotency_keys WHERE portal_id = $1::uuid AND key = $2::text) AS earlier,
    (SELECT CASE WHEN c.portal_id = $1::uuid
                 THEN jsonb_build_object('caseId', c.id, 'trackingNumber', c.tracking_number, 'samePortal', true)
                 ELSE jsonb_build_object('samePortal', false) END
       FROM cases c JOIN applicants a ON a.id = c.applicant_id
      WHERE a.id_number_hash = $6::text AND c.item_code = $11::text AND c.closed_at IS NULL
      LIMIT 1) AS open_case,
    EXISTS (SELECT 1 FROM cases WHERE portal_id = $1::uuid AND portal_reference = $15::text) AS reference_taken
),
gate AS (
  SELECT 1 FROM checks
   WHERE live AND earlier IS NULL AND open_case IS NULL AND NOT reference_taken
     AND pg_try_advisory_xact_lock($5::int, hashtext($1::text || '/' || $2::text))
),
applicant AS (
  INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted)
  SELECT $6::text, $7::text, $8::text FROM gate
  ON CONFLICT (id_number_hash) DO UPDATE SET name_encrypted = EXCLUDED.name_encrypted
  RETURNING id
),
opened AS (
  INSERT INTO cases (id, tracking_number, item_code, procedure_id, machine_id, machine_version, snapshot, status,
                     applicant_id, portal_id, portal_reference, department_code, accepting_division,
                     approving_division, application_encrypted, facts, last_event_seq, last_event_hash,
                     submitted_at, updated_at)
  SELECT $9::uuid, $10::text, $11::text, $12::text, $13::text, $14::int, NULL, 'submitted',
         applicant.id, $1::uuid, $15::text, $16::text, $17::text,
         $18::text, $19::text, $20::jsonb, 1, $27::text,
         $21::timestamptz, $21::timestamptz
    FROM applicant
  ON CONFLICT (applicant_id, item_code) WHERE closed_at IS NULL DO NOTHING
  RETURNING id
),
event AS (
  INSERT INTO case_events (case_id, seq, id, type, actor, payload, occurred_at, request_id, prev_hash, hash)
  SELECT (SELECT id FROM opened), 1, $22::uuid, $23::text, $24::text, $25::jsonb, $21::timestamptz, $26::text,
         NULL, $27::text
    FROM gate
),
command AS (
  INSERT INTO outbox (kind, case_id, payload, request_id, available_at)
  SELECT 'case.command', id, $28::jsonb, $26::text, now() FROM opened
),
answer AS (
  INSERT INTO idempotency_keys (portal_id, key, request_hash, response_status, response_body, case_id)
  SELECT $1::uuid, $2::text, $3::text, 202, $29::jsonb, id FROM opened
  RETURNING 1
)
SELECT checks.*, EXISTS (SELECT 1 FROM gate) AS locked, EXISTS (SELECT 1 FROM answer) AS opened FROM checks`;

/** The name of the prepared statement; a new text needs a new name (a connection keeps the old one). */
const INTAKE_STATEMENT = 'minsheng-intake-v1';

/** SQLSTATEs of a lost race between two requests that both passed the checks (see `INTAKE_SQL`). */
const LOST_RACE = new Set(['23502', '23505']);

interface PgError {
  code?: string;
}

/**
 * Writes an accepted application: the case, its first event and the outbox row that asks the engine to apply
 * SUBMITTED, in one statement (`INTAKE_SQL`), hence one transaction. Personal data goes only into ciphertext
 * columns: the event, the outbox payload (hence the job) and `facts` carry ids, codes and amounts.
 */
@Injectable()
export class SubmitApplication {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
    private readonly idempotency: IdempotencyService,
    private readonly trackingNumbers: TrackingNumbers,
    private readonly portalKeys: PortalKeys,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async submit(submission: Submission): Promise<IdempotentResult> {
    const { portal, idempotencyKey } = submission;
    const requestHash = this.idempotency.requestHash({ operation: OPERATION, body: submission.body });
    for (let attempt = 1; ; attempt++) {
      const written = await this.write(submission, requestHash);
      if (written.result !== undefined) return written.result;
      const { outcome, lostRace } = written;
      if (lostRace !== undefined && attempt >= ATTEMPTS) throw lostRace;
      if (outcome !== undefined) {
        if (!outcome.live) {
          this.portalKeys.forget(portal.keyPrefix);
          throw unauthenticated();
        }
        if (outcome.earlier !== null) {
          const answer = IdempotencyService.settle(outcome.earlier, requestHash);
          if (answer !== 'abandoned') return answer;
          await this.idempotency.dropAbandoned(portal.id, idempotencyKey);
        } else if (outcome.open_case !== null) {
          // Another portal's case is not this portal's to name (docs/api.md "The applicant's view").
          const { samePortal, ...openCase } = outcome.open_case;
          throw new DomainError(
            'CASE.ALREADY_OPEN',
            samePortal
              ? `the applicant already has an open case for ${submission.application.item.code}`
              : `the applicant already has an open case for ${submission.application.item.code} elsewhere`,
            samePortal ? { openCase } : { openElsewhere: true },
          );
        } else if (outcome.reference_taken) {
          throw new DomainError('CASE.PORTAL_REFERENCE_TAKEN', 'this portal already used this portalReference', {
            field: 'portalReference',
          });
        } else if (!outcome.locked) {
          throw inProgress();
        }
      }
      if (attempt >= ATTEMPTS) throw inProgress();
    }
  }

  /** Runs `INTAKE_SQL` once: the answer when the case was opened, otherwise what stopped it, or the lost race. */
  private async write(
    submission: Submission,
    requestHash: string,
  ): Promise<{ result?: IdempotentResult; outcome?: Outcome; lostRace?: unknown }> {
    const { portal, application, requestId } = submission;
    const { routing, request } = application;
    const now = this.clock.now();
    const caseId = randomUUID();
    const trackingNumber = `WLMQ-${toShanghaiDate(now).slice(0, 4)}-${(await this.trackingNumbers.next()).padStart(8, '0')}`;
    const actor = portalActor(portal);
    const machine = machineFor(application.procedureId);
    const [event] = chainEvents(caseId, { seq: 0, hash: null }, [
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
    const command = { caseId, commandId: randomUUID(), event: { type: 'SUBMITTED' }, actor, requestId };
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
    const parameters = [
      portal.id,
      submission.idempotencyKey,
      requestHash,
      portal.keyPrefix,
      IDEMPOTENCY_LOCK_CLASS,
      this.cipher.lookupHash(application.applicantIdNumber, PII_PURPOSE.idNumber),
      this.cipher.encrypt(application.applicantIdNumber, PII_PURPOSE.idNumber),
      this.cipher.encrypt(request.applicant.name, PII_PURPOSE.name),
      caseId,
      trackingNumber,
      application.item.code,
      application.procedureId,
      machine.id,
      machine.version,
      request.portalReference,
      routing.leadDepartment,
      routing.accepting.divisionCode,
      routing.approving.divisionCode,
      this.cipher.encrypt(JSON.stringify(request), PII_PURPOSE.application),
      JSON.stringify(application.facts),
      now.toISOString(),
      event!.id,
      event!.type,
      event!.actor,
      JSON.stringify(event!.payload),
      requestId,
      event!.hash,
      JSON.stringify(command),
      JSON.stringify(body),
      ABANDONED_AFTER_SECONDS,
    ];
    let outcome: Outcome;
    const runner = this.dataSource.createQueryRunner();
    try {
      // A named statement is parsed and planned once per connection: planning this statement cost PostgreSQL as
      // much as running it (bench/profiles/intake.md).
      const client = (await runner.connect()) as PoolClient;
      const result = await client.query<Outcome>({ name: INTAKE_STATEMENT, text: INTAKE_SQL, values: parameters });
      outcome = result.rows[0]!;
    } catch (error) {
      if (LOST_RACE.has((error as PgError).code ?? '')) return { lostRace: error };
      throw error;
    } finally {
      await runner.release();
    }
    if (outcome.opened) return { result: { status: 202, body: body as unknown as Record<string, unknown>, caseId } };
    return { outcome };
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
