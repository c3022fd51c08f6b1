import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { DomainError, toShanghaiDate, type Clock } from '@minsheng/domain';
import { APP_CONFIG, type AppConfig, chainEvents, InjectClock, PiiCipher, transientKindOf } from '@minsheng/infra';
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
import { type BatchMember, IntakeBatcher } from './intake-batcher.js';
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

/** What the statement found for one application before writing, and whether it wrote. */
interface Outcome {
  live: boolean;
  earlier: EarlierRequest | null;
  /** The applicant's open case of the item; its id and tracking number only when it is this portal's. */
  open_case: { caseId?: string; trackingNumber?: string; samePortal: boolean } | null;
  reference_taken: boolean;
  locked: boolean;
  opened: boolean;
}

/** One application as `INTAKE_SQL` reads it (a record of `json_to_recordset`), and its answer if it is written. */
interface IntakeRow {
  readonly n: number;
  readonly portal_id: string;
  readonly key: string;
  readonly request_hash: string;
  readonly key_prefix: string;
  readonly held: boolean;
  readonly id_number_hash: string;
  readonly id_number_encrypted: string;
  readonly name_encrypted: string;
  readonly case_id: string;
  readonly tracking_number: string;
  readonly item_code: string;
  readonly procedure_id: string;
  readonly machine_id: string;
  readonly machine_version: number;
  readonly portal_reference: string;
  readonly department_code: string;
  readonly accepting_division: string;
  readonly approving_division: string;
  readonly application_encrypted: string;
  readonly facts: unknown;
  readonly submitted_at: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly actor: string;
  readonly event_payload: unknown;
  readonly request_id: string;
  readonly event_hash: string;
  readonly command: unknown;
  readonly answer: SubmittedApplication;
}

type PreparedRow = Omit<IntakeRow, 'n' | 'held'>;

/**
 * One statement opens the cases of a batch of applications (docs/architecture.md "The way a case travels" and
 * "Intake group commit"): for each it checks that the portal's key is still live, that the Idempotency-Key is
 * unused, that the applicant has no open case of the item and that the portal reference is free; then writes the
 * applicant (ID number and name encrypted, found by keyed hash), the case with its first event (hash chained), the
 * outbox row that asks the engine to apply SUBMITTED, and the answer under the Idempotency-Key. It answers what it
 * found for each, so every refusal is known without another round trip. A batch of one is a lone request.
 *
 * A request with the same key running at the same time in another statement holds the key's advisory lock: this
 * one writes nothing and answers IDEMPOTENCY.IN_PROGRESS, as a claim row did before; in the same statement the
 * lock would be granted twice (advisory locks are re-entrant per session), so the batcher marks such a second
 * request `held` instead. Two requests for the same applicant and item (or the same reference) under different
 * keys, in two statements (two gateways), can both pass the checks; the loser's case insert meets the winner's
 * row in the unique index, and its event then has no case: `case_id` is NOT NULL, so that error undoes the whole
 * statement (nothing half-written) and the batcher writes the rest again without it; the request runs again, now
 * seeing the winner's case.
 */
const INTAKE_SQL = `
WITH input AS (
  SELECT * FROM json_to_recordset($1::json) AS i(
    n int, portal_id uuid, key text, request_hash text, key_prefix text, held boolean, id_number_hash text,
    id_number_encrypted text, name_encrypted text, case_id uuid, tracking_number text, item_code text,
    procedure_id text, machine_id text, machine_version int, portal_reference text, department_code text,
    accepting_division text, approving_division text, application_encrypted text, facts jsonb,
    submitted_at timestamptz, event_id uuid, event_type text, actor text, event_payload jsonb, request_id text,
    event_hash text, command jsonb, answer jsonb)
),
checks AS (
  SELECT i.*,
    EXISTS (SELECT 1 FROM portal_api_keys k JOIN portals p ON p.id = k.portal_id
             WHERE k.prefix = i.key_prefix AND k.portal_id = i.portal_id
               AND k.revoked_at IS NULL AND p.disabled_at IS NULL) AS live,
    (SELECT jsonb_build_object('request_hash', request_hash, 'response_status', response_status,
                               'response_body', response_body,
                               'abandoned', created_at < now() - make_interval(secs => $3::int))
       FROM idempotency_keys WHERE portal_id = i.portal_id AND key = i.key) AS earlier,
    (SELECT CASE WHEN c.portal_id = i.portal_id
                 THEN jsonb_build_object('caseId', c.id, 'trackingNumber', c.tracking_number, 'samePortal', true)
                 ELSE jsonb_build_object('samePortal', false) END
       FROM cases c JOIN applicants a ON a.id = c.applicant_id
      WHERE a.id_number_hash = i.id_number_hash AND c.item_code = i.item_code AND c.closed_at IS NULL
      LIMIT 1) AS open_case,
    EXISTS (SELECT 1 FROM cases WHERE portal_id = i.portal_id AND portal_reference = i.portal_reference)
      AS reference_taken
  FROM input i
),
gate AS (
  SELECT * FROM checks
   WHERE live AND earlier IS NULL AND open_case IS NULL AND NOT reference_taken AND NOT held
     AND pg_try_advisory_xact_lock($2::int, hashtext(portal_id::text || '/' || key))
),
applicant AS (
  INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted)
  SELECT id_number_hash, id_number_encrypted, name_encrypted FROM gate ORDER BY id_number_hash
  ON CONFLICT (id_number_hash) DO UPDATE SET name_encrypted = EXCLUDED.name_encrypted
  RETURNING id, id_number_hash
),
opened AS (
  INSERT INTO cases (id, tracking_number, item_code, procedure_id, machine_id, machine_version, snapshot, status,
                     applicant_id, portal_id, portal_reference, department_code, accepting_division,
                     approving_division, application_encrypted, facts, last_event_seq, last_event_hash,
                     submitted_at, updated_at)
  SELECT g.case_id, g.tracking_number, g.item_code, g.procedure_id, g.machine_id, g.machine_version, NULL,
         'submitted', a.id, g.portal_id, g.portal_reference, g.department_code, g.accepting_division,
         g.approving_division, g.application_encrypted, g.facts, 1, g.event_hash, g.submitted_at, g.submitted_at
    FROM gate g JOIN applicant a ON a.id_number_hash = g.id_number_hash
   ORDER BY g.id_number_hash
  ON CONFLICT (applicant_id, item_code) WHERE closed_at IS NULL DO NOTHING
  RETURNING id
),
event AS (
  INSERT INTO case_events (case_id, seq, id, type, actor, payload, occurred_at, request_id, prev_hash, hash)
  SELECT o.id, 1, g.event_id, g.event_type, g.actor, g.event_payload, g.submitted_at, g.request_id, NULL,
         g.event_hash
    FROM gate g LEFT JOIN opened o ON o.id = g.case_id
),
command AS (
  INSERT INTO outbox (kind, case_id, payload, request_id, available_at)
  SELECT 'case.command', o.id, g.command, g.request_id, now() FROM gate g JOIN opened o ON o.id = g.case_id
   ORDER BY g.n
),
answer AS (
  INSERT INTO idempotency_keys (portal_id, key, request_hash, response_status, response_body, case_id)
  SELECT g.portal_id, g.key, g.request_hash, 202, g.answer, o.id FROM gate g JOIN opened o ON o.id = g.case_id
  RETURNING case_id
)
SELECT c.live, c.earlier, c.open_case, c.reference_taken,
       EXISTS (SELECT 1 FROM gate g WHERE g.n = c.n) AS locked,
       EXISTS (SELECT 1 FROM answer a WHERE a.case_id = c.case_id) AS opened
  FROM checks c ORDER BY c.n`;

/** The name of the prepared statement; a new text needs a new name (a connection keeps the old one). */
const INTAKE_STATEMENT = 'minsheng-intake-v2';

/** SQLSTATEs of a lost race between two requests that both passed the checks (see `INTAKE_SQL`). */
const LOST_RACE = new Set(['23502', '23505']);

interface PgError {
  code?: string;
}

/**
 * Writes accepted applications: the case, its first event and the outbox row that asks the engine to apply
 * SUBMITTED, in one statement (`INTAKE_SQL`), hence one transaction, for every application of a batch
 * (`IntakeBatcher`). Personal data goes only into ciphertext columns: the event, the outbox payload (hence the job)
 * and `facts` carry ids, codes and amounts.
 */
@Injectable()
export class SubmitApplication {
  private readonly batcher: IntakeBatcher<PreparedRow, Outcome>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
    private readonly idempotency: IdempotencyService,
    private readonly trackingNumbers: TrackingNumbers,
    private readonly portalKeys: PortalKeys,
    @InjectClock() private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.batcher = new IntakeBatcher<PreparedRow, Outcome>(
      config.intake,
      (row) => ({
        idempotency: `${row.portal_id}/${row.key}`,
        exclusive: [`applicant/${row.id_number_hash}`, `reference/${row.portal_id}/${row.portal_reference}`],
      }),
      (members) => this.write(members),
      // A database out of reach fails every member alike: splitting the batch would only ask it again and again.
      (error) => transientKindOf(error) !== 'unavailable',
    );
  }

  async submit(submission: Submission): Promise<IdempotentResult> {
    const { portal, idempotencyKey } = submission;
    const requestHash = this.idempotency.requestHash({ operation: OPERATION, body: submission.body });
    for (let attempt = 1; ; attempt++) {
      const row = await this.prepare(submission, requestHash);
      let outcome: Outcome;
      try {
        outcome = await this.batcher.submit(row);
      } catch (error) {
        if (!LOST_RACE.has((error as PgError).code ?? '') || attempt >= ATTEMPTS) throw error;
        continue;
      }
      if (outcome.opened) {
        return { status: 202, body: row.answer as unknown as Record<string, unknown>, caseId: row.case_id };
      }
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
      if (attempt >= ATTEMPTS) throw inProgress();
    }
  }

  /** Everything `INTAKE_SQL` writes for one application: ids, tracking number, ciphertexts, chained event, answer. */
  private async prepare(submission: Submission, requestHash: string): Promise<PreparedRow> {
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
    const answer: SubmittedApplication = {
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
    return {
      portal_id: portal.id,
      key: submission.idempotencyKey,
      request_hash: requestHash,
      key_prefix: portal.keyPrefix,
      id_number_hash: this.cipher.lookupHash(application.applicantIdNumber, PII_PURPOSE.idNumber),
      id_number_encrypted: this.cipher.encrypt(application.applicantIdNumber, PII_PURPOSE.idNumber),
      name_encrypted: this.cipher.encrypt(request.applicant.name, PII_PURPOSE.name),
      case_id: caseId,
      tracking_number: trackingNumber,
      item_code: application.item.code,
      procedure_id: application.procedureId,
      machine_id: machine.id,
      machine_version: machine.version,
      portal_reference: request.portalReference,
      department_code: routing.leadDepartment,
      accepting_division: routing.accepting.divisionCode,
      approving_division: routing.approving.divisionCode,
      application_encrypted: this.cipher.encrypt(JSON.stringify(request), PII_PURPOSE.application),
      facts: application.facts,
      submitted_at: now.toISOString(),
      event_id: event!.id,
      event_type: event!.type,
      actor: event!.actor,
      event_payload: event!.payload,
      request_id: requestId,
      event_hash: event!.hash,
      command,
      answer,
    };
  }

  /** Runs `INTAKE_SQL` once for a batch: what it found for each application, in order, or the statement's error. */
  private async write(members: readonly BatchMember<PreparedRow>[]): Promise<Outcome[]> {
    const rows: IntakeRow[] = members.map(({ row, held }, n) => ({ ...row, n, held }));
    const runner = this.dataSource.createQueryRunner();
    try {
      // A named statement is parsed and planned once per connection: planning this statement cost PostgreSQL as
      // much as running it (bench/profiles/intake.md).
      const client = (await runner.connect()) as PoolClient;
      const result = await client.query<Outcome>({
        name: INTAKE_STATEMENT,
        text: INTAKE_SQL,
        values: [JSON.stringify(rows), IDEMPOTENCY_LOCK_CLASS, ABANDONED_AFTER_SECONDS],
      });
      return result.rows;
    } finally {
      await runner.release();
    }
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
