import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import {
  type Clock,
  districtOf,
  getServiceItem,
  STANDARD_PARAMETERS,
  toShanghaiDate,
} from '../../libs/domain/src/index.js';
import { appendCaseEvents, writeOutbox, type CaseCommand } from '../../libs/infra/src/index.js';
import { buildProcedureInput, machineFor, type ApplicationDetails } from '../../libs/workflows/src/index.js';

/** 天山区 燕儿窝街道: the street office of most test cases; its district 天山区 approves. */
export const TIANSHAN_STREET = '650102002';
export const TIANSHAN_DISTRICT = '650102';

export interface SubmittedCaseOptions {
  readonly itemCode?: string;
  /** The street office that accepts; the district above it approves. */
  readonly acceptingDivision?: string;
  readonly approvingDivision?: string;
  readonly facts?: Record<string, unknown>;
  /**
   * What the application said for its procedure; the input is built from it as intake builds it (the compiled
   * parameters stand in for the published ones), unless `facts.procedureInput` is given.
   */
  readonly details?: ApplicationDetails;
  /** Write the case without its procedure input (as no intake ever does). */
  readonly withoutProcedureInput?: boolean;
  /** Write the case, its event and its outbox row but no command (as if the relay had nothing to send). */
  readonly withoutCommand?: boolean;
}

export interface SubmittedCase {
  readonly caseId: string;
  readonly commandId: string;
  readonly trackingNumber: string;
  readonly itemCode: string;
}

/**
 * What portal intake commits in one transaction (docs/architecture.md "The way a case travels"), written straight to
 * the database: an applicant, a case with no snapshot yet (status `submitted`), the first event APPLICATION_SUBMITTED
 * and the outbox row carrying the SUBMITTED command. Nothing is encrypted: the personal fields hold placeholders.
 */
export function given(db: pg.Pool, clock: Clock) {
  return {
    async submittedCase(options: SubmittedCaseOptions = {}): Promise<SubmittedCase> {
      const itemCode = options.itemCode ?? 'BPS-064';
      const item = getServiceItem(itemCode);
      if (item.procedure === null) throw new Error(`${itemCode} has no procedure`);
      const machine = machineFor(item.procedure);
      const accepting = options.acceptingDivision ?? TIANSHAN_STREET;
      const approving = options.approvingDivision ?? districtOf(accepting)?.code ?? TIANSHAN_DISTRICT;
      const facts = { ...options.facts };
      if (facts['procedureInput'] === undefined && !options.withoutProcedureInput) {
        const built = buildProcedureInput({
          item,
          districtCode: approving.slice(0, 6),
          details: options.details ?? DEFAULT_DETAILS[item.procedure] ?? {},
          parameters: STANDARD_PARAMETERS,
          today: toShanghaiDate(clock.now()),
        });
        if (!built.ok) throw new Error(`no input for ${itemCode}: ${JSON.stringify(built.problems)}`);
        facts['procedureInput'] = built.input;
      }
      const client = await db.connect();
      try {
        await client.query('BEGIN');
        const {
          rows: [applicant],
        } = await client.query<{ id: string }>(
          `INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted) VALUES ($1, 'placeholder', 'placeholder') RETURNING id`,
          [randomBytes(16).toString('hex')],
        );
        const {
          rows: [row],
        } = await client.query<{ id: string; tracking_number: string }>(
          `INSERT INTO cases (tracking_number, item_code, procedure_id, machine_id, machine_version, status, applicant_id,
                              department_code, accepting_division, approving_division, application_encrypted, facts)
           VALUES ('MS-T-' || nextval('case_tracking_seq'), $1, $2, $3, $4, 'submitted', $5, $6, $7, $8, 'placeholder', $9)
           RETURNING id, tracking_number`,
          [
            itemCode,
            item.procedure,
            machine.id,
            machine.version,
            applicant!.id,
            item.leadDepartment.value,
            accepting,
            approving,
            JSON.stringify(facts),
          ],
        );
        const caseId = row!.id;
        await appendCaseEvents(client, caseId, { seq: 0, hash: null }, [
          {
            id: randomUUID(),
            type: 'APPLICATION_SUBMITTED',
            actor: 'portal:test',
            payload: { itemCode },
            occurredAt: clock.now(),
          },
        ]);
        const commandId = randomUUID();
        if (!options.withoutCommand) {
          await writeOutbox(client, [
            {
              kind: 'case.command',
              caseId,
              payload: { caseId, commandId, event: { type: 'SUBMITTED' }, actor: 'portal:test', requestId: null },
            },
          ]);
        }
        await client.query('COMMIT');
        return { caseId, commandId, trackingNumber: row!.tracking_number, itemCode };
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },

    /** A command as the gateway or a timer writes it: an outbox row, relayed by the worker. */
    async command(caseId: string, event: CaseCommand['event'], actor = 'system:test'): Promise<string> {
      const commandId = randomUUID();
      await writeOutbox(db, [{ kind: 'case.command', caseId, payload: { caseId, commandId, event, actor } }]);
      return commandId;
    },
  };
}

/** The details an application of each procedure needs, when a test does not say. */
const DEFAULT_DETAILS: Readonly<Record<string, ApplicationDetails>> = {
  'temporary-assistance': { assistanceType: 'expenditure', requestedAmountFen: 100_000 },
  'disability-subsidies': { subsidies: ['living', 'nursing'] },
  'legal-aid': { urgent: false, competentDivision: TIANSHAN_DISTRICT, competenceGround: 'case-handling-organ' },
  'unemployment-benefit': { unemploymentRegistered: true },
};

/** Polls until `check` answers something truthy (the worker runs in the background), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
