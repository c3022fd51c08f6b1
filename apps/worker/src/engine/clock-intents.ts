import { type CalendarSet, planClock, type ClockFacts, type ClockPlan, type Region } from '@minsheng/domain';
import {
  CALENDAR_YEAR_NOT_PUBLISHED_ALERT,
  CLOCK_COLUMNS,
  clockFacts,
  raiseOperatorAlert,
  type ClockRow,
  type Queryable,
} from '@minsheng/infra';
import { clockBasisOf, type ClockParams, type ExtendClockParams, type StartClockParams } from '@minsheng/workflows';

/** Statutory clocks count in the Xinjiang official calendar (docs/architecture.md invariant 7). */
export const CLOCK_REGION: Region = 'xinjiang';

/**
 * The statutory clocks of a case as rows of `case_clocks` (docs/architecture.md invariant 7). Each function runs inside
 * the engine's transaction, with the case row locked, and returns the clock's new generation: the timers (the
 * `clock.changed` outbox row) reschedule from the row and ignore any job of an older generation.
 * Every due date comes from `planClock` (libs/infra clocks), the same count as `GET /v1/cases/{id}/clocks` explains
 * and a calendar publication recomputes. These are the only writers of the clock columns besides the timers' marks.
 */
export interface ClockChange {
  readonly caseId: string;
  readonly clock: string;
  readonly generation: number;
  /** Set when the count needs a calendar year nobody has published yet: the clock has no due time until then. */
  readonly calendarMissing?: string;
  /** Set when the due date rests on a provisional calendar (`case_clocks.due_provisional`). */
  readonly dueProvisional?: true;
  /** Escalation tasks (督办) of this clock closed because the step finished. */
  readonly escalationsClosed?: number;
  /**
   * The due time the clock's row now has, when the change wrote one (start, resume, extend): tasks opened later in
   * the step read it (`task-batch.ts`). Not part of the clock's event.
   */
  readonly dueAt?: Date | null;
}

/**
 * Starts (or restarts, e.g. a second public notice after a re-investigation) a clock from today: the start day
 * is not counted (民事诉讼法 art. 85). A restart clears pauses, extensions and the reminder/breach marks, and
 * closes the escalations of the previous run.
 */
export async function startClock(
  q: Queryable,
  caseId: string,
  params: StartClockParams,
  now: Date,
  calendars: CalendarSet,
): Promise<ClockChange> {
  const facts: ClockFacts = {
    startedAt: now,
    limitAmount: params.limit.amount,
    unit: params.limit.unit,
    region: CLOCK_REGION,
    source: params.limit.source.citation,
    ...(params.limit.rollForward === undefined ? {} : { rollForward: params.limit.rollForward }),
    pausedAt: null,
    pauses: [],
    extensions: [],
  };
  const plan = planClock(facts, calendars);
  await alertIfWaiting(q, caseId, params.clock, plan);
  const rows = (await q.query(
    `INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, region, started_at, due_at,
                              calendar_missing, explanation, due_provisional, evidence, basis)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (case_id, clock) DO UPDATE SET
       kind = EXCLUDED.kind, limit_amount = EXCLUDED.limit_amount, unit = EXCLUDED.unit, source = EXCLUDED.source,
       evidence = EXCLUDED.evidence, basis = EXCLUDED.basis,
       region = EXCLUDED.region, started_at = EXCLUDED.started_at, due_at = EXCLUDED.due_at,
       calendar_missing = EXCLUDED.calendar_missing, explanation = EXCLUDED.explanation,
       due_provisional = EXCLUDED.due_provisional, paused_at = NULL,
       pauses = '[]', extensions = '[]', stopped_at = NULL, remind_at = NULL, reminded_at = NULL, breached_at = NULL,
       escalated_at = NULL, ended_at = NULL, generation = case_clocks.generation + 1
     RETURNING generation, (xmax <> 0) AS restarted`,
    [
      caseId,
      params.clock,
      params.kind,
      params.limit.amount,
      params.limit.unit,
      params.limit.source.citation,
      CLOCK_REGION,
      now,
      plan.dueAt,
      plan.calendarMissing,
      JSON.stringify(plan.explanation),
      plan.provisional,
      params.limit.source.evidence,
      clockBasisOf(params.limit),
    ],
  )) as { generation: number; restarted: boolean }[];
  const restarted = rows[0]!.restarted;
  const closed = restarted ? await closeEscalations(q, caseId, params.clock, 'clock-restarted', now) : 0;
  return withDetails({ caseId, clock: params.clock, generation: rows[0]!.generation, dueAt: plan.dueAt }, plan, closed);
}

/**
 * The applicant was asked for more material: the clock stops counting until it arrives
 * (docs/architecture.md invariant 7).
 */
export async function pauseClock(
  q: Queryable,
  caseId: string,
  params: ClockParams,
  now: Date,
  calendars: CalendarSet,
): Promise<ClockChange | null> {
  const row = await readClock(q, caseId, params.clock);
  if (row === undefined || row.stopped_at !== null || row.paused_at !== null) return null;
  // The due date stays what it was; the explanation says what will remain when the material comes back.
  const plan = planClock({ ...clockFacts(row), pausedAt: now }, calendars);
  const rows = (await q.query(
    `UPDATE case_clocks SET paused_at = $2, explanation = $3, generation = generation + 1
     WHERE id = $1 RETURNING generation`,
    [row.id, now, JSON.stringify(plan.explanation)],
  )) as { generation: number }[];
  return change(caseId, params.clock, rows, plan);
}

/**
 * The clock runs again: what was left of the period on the day it paused is counted from today, in the clock's
 * own unit, so days spent waiting for the applicant are not charged to the office (补正期间不计入办理时限).
 */
export async function resumeClock(
  q: Queryable,
  caseId: string,
  params: ClockParams,
  now: Date,
  calendars: CalendarSet,
): Promise<ClockChange | null> {
  const row = await readClock(q, caseId, params.clock);
  if (row === undefined || row.stopped_at !== null || row.paused_at === null) return null;
  const pause = { from: new Date(row.paused_at).toISOString(), to: now.toISOString() };
  const facts = clockFacts(row);
  const plan = planClock({ ...facts, pausedAt: null, pauses: [...facts.pauses, pause] }, calendars);
  await alertIfWaiting(q, caseId, params.clock, plan);
  const rows = (await q.query(
    `UPDATE case_clocks SET paused_at = NULL, pauses = pauses || jsonb_build_array($2::jsonb), due_at = $3,
       calendar_missing = $4, explanation = $5, due_provisional = $6, remind_at = NULL, generation = generation + 1
     WHERE id = $1 RETURNING generation`,
    [
      row.id,
      JSON.stringify(pause),
      plan.dueAt,
      plan.calendarMissing,
      JSON.stringify(plan.explanation),
      plan.provisional,
    ],
  )) as { generation: number }[];
  return change(caseId, params.clock, rows, plan, plan.dueAt);
}

/**
 * Closes the open escalation tasks (督办) of clock $2 on case $1 at $4, saying why ($3). They carry the clock in their
 * details (task names: `<clock>-escalation`, `<clock>-escalation-2`).
 */
const CLOSE_ESCALATIONS = `UPDATE tasks SET status = 'closed', closed_at = $4::timestamptz, version = version + 1,
         details = details || jsonb_build_object('closedBecause', $3::text)
   WHERE case_id = $1 AND kind = 'escalation' AND closed_at IS NULL AND details->>'clock' = $2`;

/** The step is done: the clock stops, and the supervisors' escalations (督办) of it have nothing left to chase. */
export async function stopClock(
  q: Queryable,
  caseId: string,
  params: ClockParams,
  now: Date,
): Promise<ClockChange | null> {
  // One statement: stop the clock and close its escalations (this runs on nearly every step).
  const rows = (await q.query(
    `WITH stopped AS (
       UPDATE case_clocks SET stopped_at = $4, generation = generation + 1
       WHERE case_id = $1 AND clock = $2 AND stopped_at IS NULL RETURNING generation),
     closed AS (${CLOSE_ESCALATIONS} AND EXISTS (SELECT 1 FROM stopped) RETURNING id)
     SELECT generation, (SELECT count(*)::int FROM closed) AS closed FROM stopped`,
    [caseId, params.clock, 'step-clock-stopped', now],
  )) as { generation: number; closed: number }[];
  if (rows[0] === undefined) return null;
  const { generation, closed } = rows[0];
  return { caseId, clock: params.clock, generation, ...(closed > 0 ? { escalationsClosed: closed } : {}) };
}

/**
 * A recorded extension (e.g. 低保 30 → 45 working days, 民发〔2021〕57号) with who, why and the legal basis; the
 * limit in force becomes the extension's, counted from the clock's start like the original.
 */
export async function extendClock(
  q: Queryable,
  caseId: string,
  params: ExtendClockParams,
  now: Date,
  calendars: CalendarSet,
): Promise<ClockChange | null> {
  const row = await readClock(q, caseId, params.clock);
  if (row === undefined || row.stopped_at !== null) return null;
  const facts = clockFacts(row);
  const inForce = Math.max(
    row.limit_amount,
    ...facts.extensions.map((e) => Number((e as { toAmount?: unknown }).toAmount) || 0),
  );
  if (params.toAmount <= inForce) return null;
  const extension = {
    fromAmount: inForce,
    toAmount: params.toAmount,
    reason: params.reason,
    actor: params.actor,
    source: params.source.citation,
    at: now.toISOString(),
  };
  const plan = planClock({ ...facts, extensions: [...facts.extensions, extension] }, calendars);
  await alertIfWaiting(q, caseId, params.clock, plan);
  // A later due date makes a reminder or a breach already fired stale: they may fire again for the new date.
  const rows = (await q.query(
    `UPDATE case_clocks SET extensions = extensions || jsonb_build_array($2::jsonb), due_at = $3, calendar_missing = $4,
       explanation = $5, due_provisional = $6, remind_at = NULL, reminded_at = NULL, breached_at = NULL,
       escalated_at = NULL, generation = generation + 1
     WHERE id = $1 RETURNING generation`,
    [
      row.id,
      JSON.stringify(extension),
      plan.dueAt,
      plan.calendarMissing,
      JSON.stringify(plan.explanation),
      plan.provisional,
    ],
  )) as { generation: number }[];
  return change(caseId, params.clock, rows, plan, plan.dueAt);
}

async function readClock(q: Queryable, caseId: string, clock: string): Promise<ClockRow | undefined> {
  const rows = (await q.query(`SELECT ${CLOCK_COLUMNS} FROM case_clocks WHERE case_id = $1 AND clock = $2`, [
    caseId,
    clock,
  ])) as ClockRow[];
  return rows[0];
}

/** How often one worker process repeats the alert for the same missing calendar (each repeat counts once). */
export const CALENDAR_ALERT_EVERY_MS = 60_000;
const lastAlerted = new Map<string, number>();

/**
 * A clock without a due time is an operator's problem to fix by publishing the year. The alert is raised at most
 * once a minute per missing calendar and process: every clock of every case started after mid-November reaches
 * next year, and an UPSERT of the same alert row in each step would serialise all steps on that row. How many
 * clocks wait is `case_clocks.calendar_missing` (the SLA board counts them per office).
 */
async function alertIfWaiting(q: Queryable, caseId: string, clock: string, plan: ClockPlan): Promise<void> {
  if (plan.calendarMissing === null) return;
  // eslint-disable-next-line no-restricted-syntax -- the alert throttle is infrastructure time
  const now = Date.now();
  if (now - (lastAlerted.get(plan.calendarMissing) ?? -Infinity) < CALENDAR_ALERT_EVERY_MS) return;
  lastAlerted.set(plan.calendarMissing, now);
  await raiseOperatorAlert(q, {
    kind: CALENDAR_YEAR_NOT_PUBLISHED_ALERT,
    key: plan.calendarMissing,
    // `missing`: a provisional publication of the layer answers this alert (see resolveOperatorAlerts).
    details: { status: 'missing', caseId, clock },
  });
}

async function closeEscalations(
  q: Queryable,
  caseId: string,
  clock: string,
  because: string,
  now: Date,
): Promise<number> {
  const rows = (await q.query(`${CLOSE_ESCALATIONS} RETURNING id`, [caseId, clock, because, now])) as unknown[];
  return rows.length;
}

function withDetails(base: ClockChange, plan: ClockPlan, escalationsClosed = 0): ClockChange {
  return {
    ...base,
    ...(plan.calendarMissing === null ? {} : { calendarMissing: plan.calendarMissing }),
    ...(plan.provisional ? { dueProvisional: true as const } : {}),
    ...(escalationsClosed > 0 ? { escalationsClosed } : {}),
  };
}

/** `dueAt`: the due time the change wrote to the row, none when it kept the row's (a pause). */
function change(
  caseId: string,
  clock: string,
  rows: { generation: number }[],
  plan: ClockPlan,
  dueAt?: Date | null,
): ClockChange | null {
  if (rows[0] === undefined) return null;
  return withDetails(
    { caseId, clock, generation: rows[0].generation, ...(dueAt === undefined ? {} : { dueAt }) },
    plan,
  );
}
