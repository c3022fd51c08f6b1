import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, officialCalendarSet, type CalendarSet } from '@minsheng/domain';
import {
  appendCaseEvents,
  loadCalendarSet,
  writeOutbox,
  type CaseCommand,
  type NewCaseEvent,
  type Queryable,
} from '@minsheng/infra';
import type { CaseEvent } from '@minsheng/workflows';
import { stepCase, type LockedCase } from './case-step.js';
import { applyIntents, updatedRows } from './intent-appliers.js';

export type CommandOutcome =
  | { readonly outcome: 'applied'; readonly status: string; readonly seq: number }
  | { readonly outcome: 'skipped'; readonly reason: 'already-applied' }
  | { readonly outcome: 'refused'; readonly reason: string };

/** Another writer moved the case between our read and our write: nothing was written, the job is retried. */
export class StaleCaseWriteError extends DomainError {
  constructor(caseId: string, expectedVersion: number) {
    super('CASE.STALE_WRITE', `case ${caseId} is no longer at version ${expectedVersion}`, { caseId, expectedVersion });
  }
}

/** A command for a case that does not exist: the outbox row and the case commit together, so this is a bug. */
export class UnknownCaseError extends DomainError {
  constructor(caseId: string) {
    super('CASE.NOT_FOUND', `no case ${caseId}`, { caseId });
  }
}

/** How stale the engine's copy of the published calendars may be. */
export const CALENDAR_REFRESH_MS = 30_000;

const LOCK_CASE = `
  SELECT c.id, c.item_code, c.procedure_id, c.machine_id, c.machine_version, c.snapshot, c.status, c.version,
         c.last_event_seq, c.last_event_hash, c.department_code, c.accepting_division, c.approving_division, c.facts,
         c.closed_at, EXISTS (SELECT 1 FROM case_events e WHERE e.id = $2) AS applied
  FROM cases c WHERE c.id = $1 FOR UPDATE OF c`;

/**
 * The engine's step (design.md "the way a case travels"): one transaction locks the case, recognises a command
 * already applied (its event id is the command id: at-least-once delivery, exactly-once effect), runs the pure
 * machine, and writes the new snapshot (version-checked), the events, tasks, clocks and outbox rows together.
 *
 * An event the case's state does not accept is not an error to retry forever: it is recorded as COMMAND_REFUSED
 * (with the command id, so a redelivery is still recognised) and the job completes with outcome `refused`. A
 * decision the machine refused reopens its task so the reviewer can decide again.
 */
@Injectable()
export class CaseEngine implements OnApplicationBootstrap, OnModuleDestroy {
  /**
   * The calendars new clocks are counted with: those published in PostgreSQL (operators publish a new year or a
   * correction through PUT /v1/calendar/{year}), re-read every CALENDAR_REFRESH_MS so the hot path reads none.
   * Until the first read, the calendars shipped in code.
   */
  calendars: CalendarSet = officialCalendarSet();
  private refresh?: NodeJS.Timeout;
  private readonly logger = new Logger(CaseEngine.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reloadCalendars();
    this.refresh = setInterval(() => void this.reloadCalendars(), CALENDAR_REFRESH_MS);
    this.refresh.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refresh);
  }

  /** Reads the published calendars; a failed read keeps the previous set (and is logged). */
  async reloadCalendars(): Promise<void> {
    try {
      const published = await loadCalendarSet(this.dataSource);
      if (published.all().length > 0) this.calendars = published;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not reload the published calendars; keeping the previous set');
    }
  }

  async apply(command: CaseCommand, now: Date = new Date()): Promise<CommandOutcome> {
    return this.dataSource.transaction((manager) => this.applyIn(normalised(manager), command, now));
  }

  private async applyIn(q: Queryable, command: CaseCommand, now: Date): Promise<CommandOutcome> {
    const [row] = (await q.query(LOCK_CASE, [command.caseId, command.commandId])) as (LockedCase & {
      applied: boolean;
    })[];
    if (row === undefined) throw new UnknownCaseError(command.caseId);
    if (row.applied) return { outcome: 'skipped', reason: 'already-applied' };

    const event = { ...command.event } as CaseEvent & { taskId?: unknown };
    const result = stepCase(row, event, now);
    const requestId = command.requestId ?? null;
    const commandEvent = (type: string, payload: Record<string, unknown>): NewCaseEvent => ({
      id: command.commandId,
      type,
      actor: command.actor,
      payload,
      occurredAt: now,
      requestId,
    });

    if (!result.accepted) {
      await reopenRefusedDecision(q, row.id, event);
      await appendCaseEvents(q, row.id, { seq: row.last_event_seq, hash: row.last_event_hash }, [
        commandEvent('COMMAND_REFUSED', { event: command.event, status: row.status, reason: result.reason }),
      ]);
      return { outcome: 'refused', reason: result.reason };
    }

    const { step, intents } = result;
    const facts = withFindings(row.facts, event);
    await commitSnapshot(q, row, step, facts, now);
    const effects = await applyIntents(q, row, intents, facts, now, this.calendars, requestId);
    const head = await appendCaseEvents(q, row.id, { seq: row.last_event_seq, hash: row.last_event_hash }, [
      commandEvent(event.type, {
        event: command.event,
        from: row.status,
        to: step.status,
        state: step.snapshot.value,
      }),
      ...effects.events,
    ]);
    if (effects.entitlement !== null) {
      await q.query(`UPDATE cases SET entitlement = $2 WHERE id = $1`, [row.id, JSON.stringify(effects.entitlement)]);
    }
    await writeOutbox(q, effects.outbox);
    return { outcome: 'applied', status: step.status, seq: head.seq };
  }
}

/**
 * The new snapshot with an optimistic version check on top of the row lock: a writer that read the case without
 * the lock (or before another commit) changes nothing and fails (design.md invariant 4).
 */
export async function commitSnapshot(
  q: Queryable,
  row: Pick<LockedCase, 'id' | 'version'>,
  step: { snapshot: unknown; status: string; currentSteps: readonly string[]; closed: boolean },
  facts: Readonly<Record<string, unknown>>,
  now: Date,
): Promise<void> {
  const rows = (await q.query(
    `UPDATE cases SET snapshot = $3, status = $4, current_steps = $5, facts = $6, version = version + 1,
            closed_at = CASE WHEN $7::boolean THEN $8::timestamptz ELSE closed_at END, updated_at = $8
     WHERE id = $1 AND version = $2 RETURNING version`,
    [
      row.id,
      row.version,
      JSON.stringify(step.snapshot),
      step.status,
      step.currentSteps,
      JSON.stringify(facts),
      step.closed,
      now,
    ],
  )) as unknown;
  if (updatedRows(rows).length === 0) throw new StaleCaseWriteError(row.id, row.version);
}

/** A step's findings (home visit, verified income …) are kept on the case for later steps and the entitlement. */
function withFindings(facts: Record<string, unknown>, event: CaseEvent): Record<string, unknown> {
  if (event.type !== 'DECIDED' || event.findings === undefined || typeof event.step !== 'string') return facts;
  const findings = (facts['findings'] as Record<string, unknown> | undefined) ?? {};
  return { ...facts, findings: { ...findings, [event.step]: event.findings } };
}

async function reopenRefusedDecision(q: Queryable, caseId: string, event: { type: string; taskId?: unknown }) {
  if ((event.type !== 'DECIDED' && event.type !== 'OBJECTION_DECIDED') || typeof event.taskId !== 'string') return;
  await q.query(
    `UPDATE tasks SET closed_at = NULL, status = 'open', decided_by = NULL, version = version + 1,
            details = details || jsonb_build_object('refusedDecision', decision), decision = NULL
     WHERE id = $1 AND case_id = $2 AND status = 'decided'
       AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = $2 AND t.step = tasks.step AND t.closed_at IS NULL)`,
    [event.taskId, caseId],
  );
}

/** One shape for every statement's answer: UPDATE … RETURNING gives its rows like a SELECT does. */
function normalised(manager: EntityManager): Queryable {
  return { query: async (sql, parameters) => updatedRows(await manager.query(sql, parameters)) };
}
