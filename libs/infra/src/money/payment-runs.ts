import { type Queryable } from '../case-log/case-event-chain.js';
import { writeOutbox } from '../case-log/outbox.js';

/** The states of a run, in order (docs/money.md "Payment runs"). */
export const PAYMENT_RUN_STATES = ['building', 'ready', 'exported', 'confirmed'] as const;
export type PaymentRunState = (typeof PAYMENT_RUN_STATES)[number];

/** The statuses of a payment line (`CHK_payment_lines_status`): written, settled by the bank, corrected. */
export const PAYMENT_LINE_STATUSES = ['pending', 'paid', 'returned', 'corrected'] as const;

/** A run as staff see it, with its progress and totals (`GET /v1/payment-runs/{id}`). */
export interface PaymentRun {
  readonly id: string;
  readonly month: string;
  readonly state: PaymentRunState;
  readonly progress: {
    /** Entitlements to examine, counted when the build started; null before. */
    readonly candidates: number | null;
    readonly examined: number;
    readonly batches: number;
  };
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly readyAt: string | null;
  readonly exportedAt: string | null;
  readonly confirmedAt: string | null;
}

interface RunRow {
  id: string;
  month: string;
  state: PaymentRunState;
  candidates: number | null;
  examined: number;
  batches: number;
  after_entitlement_id: string | null;
  requested_by: string;
  created_at: Date;
  ready_at: Date | null;
  exported_at: Date | null;
  confirmed_at: Date | null;
}

const iso = (date: Date | null) => (date === null ? null : new Date(date).toISOString());

function toRun(row: RunRow): PaymentRun {
  return {
    id: String(row.id),
    month: row.month,
    state: row.state,
    progress: { candidates: row.candidates, examined: row.examined, batches: row.batches },
    requestedBy: row.requested_by,
    createdAt: iso(row.created_at)!,
    readyAt: iso(row.ready_at),
    exportedAt: iso(row.exported_at),
    confirmedAt: iso(row.confirmed_at),
  };
}

/**
 * Opens the run of `month`, or answers the one already open (one run per month, unique in the database: a
 * second request, or the scheduler and an operator together, open one run). A new run and its build job's outbox
 * row commit together; call inside a transaction.
 */
export async function openPaymentRun(
  q: Queryable,
  input: { month: string; requestedBy: string; requestId: string | null; now: Date },
): Promise<{ run: PaymentRun; opened: boolean }> {
  const inserted = (await q.query(
    `INSERT INTO payment_runs (month, requested_by, request_id, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (month) DO NOTHING RETURNING *`,
    [input.month, input.requestedBy, input.requestId, input.now],
  )) as RunRow[];
  const row = inserted[0];
  if (row === undefined) {
    const [existing] = (await q.query(`SELECT * FROM payment_runs WHERE month = $1`, [input.month])) as RunRow[];
    return { run: toRun(existing!), opened: false };
  }
  await writeOutbox(q, [
    {
      kind: 'payment-run.build',
      caseId: null,
      payload: { runId: String(row.id), month: row.month },
      requestId: input.requestId,
    },
  ]);
  return { run: toRun(row), opened: true };
}

export async function findPaymentRun(q: Queryable, id: string): Promise<PaymentRun | null> {
  const [row] = (await q.query(`SELECT * FROM payment_runs WHERE id = $1`, [id])) as RunRow[];
  return row === undefined ? null : toRun(row);
}

export async function listPaymentRuns(q: Queryable, limit = 100): Promise<PaymentRun[]> {
  const rows = (await q.query(`SELECT * FROM payment_runs ORDER BY month DESC LIMIT $1`, [limit])) as RunRow[];
  return rows.map(toRun);
}

/** Runs still building (at worker start, so a build whose job Redis lost resumes from its cursor). */
export async function buildingPaymentRuns(q: Queryable): Promise<{ id: string; month: string }[]> {
  const rows = (await q.query(`SELECT id, month FROM payment_runs WHERE state = 'building' ORDER BY month`)) as {
    id: string;
    month: string;
  }[];
  return rows.map((r) => ({ id: String(r.id), month: r.month }));
}

/** The run row locked for one build batch, with its cursor. */
export async function lockPaymentRun(
  q: Queryable,
  id: string,
): Promise<{ month: string; state: PaymentRunState; afterEntitlementId: string | null } | null> {
  const [row] = (await q.query(`SELECT * FROM payment_runs WHERE id = $1 FOR UPDATE`, [id])) as RunRow[];
  if (row === undefined) return null;
  return { month: row.month, state: row.state, afterEntitlementId: row.after_entitlement_id };
}

/** Counts the entitlements the build will examine (its progress's denominator), once, at its first start. */
export async function startPaymentRunBuild(q: Queryable, id: string): Promise<void> {
  await q.query(
    `UPDATE payment_runs SET candidates = (SELECT count(*)::int FROM entitlements) WHERE id = $1 AND candidates IS NULL`,
    [id],
  );
}

/** What a run reads of an entitlement to decide its line. */
export interface EntitlementForRun {
  readonly id: string;
  readonly caseId: string;
  readonly kind: string;
  readonly itemCode: string;
  readonly district: string;
  readonly division: string;
  readonly bank: string;
  readonly monthlyAmountFen: number;
  readonly basis: Record<string, unknown>;
  readonly status: 'active' | 'suspended' | 'gradual-exit' | 'ended';
  readonly startMonth: string;
  readonly endMonth: string | null;
}

/** The next batch of entitlements after the cursor, in id order (keyset pagination: each batch one index range). */
export async function entitlementBatch(
  q: Queryable,
  afterId: string | null,
  limit: number,
): Promise<EntitlementForRun[]> {
  const rows = (await q.query(
    `SELECT id, case_id, kind, item_code, district, division, bank, monthly_amount_fen, basis, status, start_month,
            end_month
     FROM entitlements WHERE ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`,
    [afterId, limit],
  )) as Record<string, unknown>[];
  return rows.map(entitlementForRunOf);
}

/** An `entitlements` row as a run reads it (the columns `entitlementBatch` and `owedArrears` select). */
function entitlementForRunOf(r: Record<string, unknown>): EntitlementForRun {
  return {
    id: String(r['id']),
    caseId: String(r['case_id']),
    kind: String(r['kind']),
    itemCode: String(r['item_code']),
    district: String(r['district']),
    division: String(r['division']),
    bank: String(r['bank']),
    monthlyAmountFen: Number(r['monthly_amount_fen']),
    basis: r['basis'] as Record<string, unknown>,
    status: r['status'] as EntitlementForRun['status'],
    startMonth: String(r['start_month']),
    endMonth: r['end_month'] === null ? null : String(r['end_month']),
  };
}

export interface NewPaymentLine {
  readonly entitlementId: string;
  readonly amountFen: number;
  readonly itemCode: string;
  readonly district: string;
  readonly division: string;
  readonly bank: string;
}

/**
 * One statement for a batch's lines. `ON CONFLICT DO NOTHING` on (entitlement, month): a line written by an
 * earlier attempt of the same batch, a restarted build or a second run of the month is never written again, so
 * nobody is paid twice (docs/money.md "Paying nobody twice"). Answers how many lines were new.
 */
export async function insertPaymentLines(
  q: Queryable,
  runId: string,
  month: string,
  lines: readonly NewPaymentLine[],
): Promise<number> {
  if (lines.length === 0) return 0;
  const rows = (await q.query(
    `WITH inserted AS (
       INSERT INTO payment_lines (run_id, entitlement_id, month, amount_fen, item_code, district, division, bank)
       SELECT $1, l.entitlement_id, $2, l.amount_fen, l.item_code, l.district, l.division, l.bank
       FROM unnest($3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[])
            AS l(entitlement_id, amount_fen, item_code, district, division, bank)
       ON CONFLICT (entitlement_id, month) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM inserted`,
    [
      runId,
      month,
      lines.map((l) => l.entitlementId),
      lines.map((l) => l.amountFen),
      lines.map((l) => l.itemCode),
      lines.map((l) => l.district),
      lines.map((l) => l.division),
      lines.map((l) => l.bank),
    ],
  )) as { n: number }[];
  return rows[0]?.n ?? 0;
}

/** Moves the run's cursor past a committed batch. */
export async function recordPaymentRunBatch(
  q: Queryable,
  id: string,
  batch: { lastEntitlementId: string; examined: number },
): Promise<void> {
  await q.query(
    `UPDATE payment_runs SET after_entitlement_id = $2, examined = examined + $3, batches = batches + 1 WHERE id = $1`,
    [id, batch.lastEntitlementId, batch.examined],
  );
}

/**
 * Ends the build: returned lines corrected since (docs/money.md "Returned payments") are carried into this run,
 * each the same line (its month and amount unchanged) so it is still paid at most once, and the run is ready.
 */
export async function finishPaymentRunBuild(q: Queryable, id: string, now: Date): Promise<number> {
  const carried = (await q.query(
    `WITH moved AS (
       UPDATE payment_lines SET carried_from_run_id = run_id, run_id = $1, status = 'pending', settled_at = NULL
       WHERE status = 'corrected' AND run_id <> $1
       RETURNING 1)
     SELECT count(*)::int AS n FROM moved`,
    [id],
  )) as { n: number }[];
  await q.query(`UPDATE payment_runs SET state = 'ready', ready_at = $2 WHERE id = $1 AND state = 'building'`, [
    id,
    now,
  ]);
  return carried[0]?.n ?? 0;
}

/** An arrears month owed to an entitlement and not yet in a run (docs/money.md "Arrears on resumption"). */
export interface OwedArrears {
  readonly entitlement: EntitlementForRun;
  readonly month: string;
}

/**
 * The arrears months not yet in a run, within the months the entitlement pays (a later ending may have cut them),
 * locked so two builds cannot take the same month.
 */
export async function owedArrears(q: Queryable): Promise<OwedArrears[]> {
  const rows = (await q.query(
    `SELECT a.month AS arrears_month, e.id, e.case_id, e.kind, e.item_code, e.district, e.division, e.bank,
            e.monthly_amount_fen, e.basis, e.status, e.start_month, e.end_month
     FROM entitlement_arrears a JOIN entitlements e ON e.id = a.entitlement_id
     WHERE a.run_id IS NULL AND a.month >= e.start_month AND (e.end_month IS NULL OR a.month <= e.end_month)
     ORDER BY a.entitlement_id, a.month FOR UPDATE OF a`,
  )) as Record<string, unknown>[];
  return rows.map((r) => ({
    month: String(r['arrears_month']),
    entitlement: entitlementForRunOf(r),
  }));
}

/**
 * Writes the arrears lines into a run: one line per (entitlement, month), each at its own month's amount, with
 * `ON CONFLICT DO NOTHING` on (entitlement, month) so a month already paid is never paid again; the arrears are
 * marked as taken by the run. Answers how many lines were new.
 */
export async function insertArrearsLines(
  q: Queryable,
  runId: string,
  lines: readonly (NewPaymentLine & { readonly month: string })[],
  taken: readonly { readonly entitlementId: string; readonly month: string }[],
): Promise<number> {
  if (taken.length === 0) return 0;
  await q.query(
    `UPDATE entitlement_arrears a SET run_id = $1
     FROM unnest($2::uuid[], $3::text[]) AS t(entitlement_id, month)
     WHERE a.entitlement_id = t.entitlement_id AND a.month = t.month AND a.run_id IS NULL`,
    [runId, taken.map((t) => t.entitlementId), taken.map((t) => t.month)],
  );
  return insertLinesOfMonths(q, runId, lines);
}

/**
 * Lines each of its own month (arrears, an instalment whose month's run was built before it was owed), with
 * `ON CONFLICT DO NOTHING` on (entitlement, month): a month that has a line already gets no second one.
 */
export async function insertLinesOfMonths(
  q: Queryable,
  runId: string,
  lines: readonly (NewPaymentLine & { readonly month: string })[],
): Promise<number> {
  if (lines.length === 0) return 0;
  const rows = (await q.query(
    `WITH inserted AS (
       INSERT INTO payment_lines (run_id, entitlement_id, month, amount_fen, item_code, district, division, bank)
       SELECT $1, l.entitlement_id, l.month, l.amount_fen, l.item_code, l.district, l.division, l.bank
       FROM unnest($2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[])
            AS l(entitlement_id, month, amount_fen, item_code, district, division, bank)
       ON CONFLICT (entitlement_id, month) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM inserted`,
    [
      runId,
      lines.map((l) => l.entitlementId),
      lines.map((l) => l.month),
      lines.map((l) => l.amountFen),
      lines.map((l) => l.itemCode),
      lines.map((l) => l.district),
      lines.map((l) => l.division),
      lines.map((l) => l.bank),
    ],
  )) as { n: number }[];
  return rows[0]?.n ?? 0;
}

/** A run's totals: lines and amount per status, district and bank (what the run's page and its metrics show). */
export interface PaymentRunTotals {
  readonly lines: number;
  readonly amountFen: number;
  readonly paidLines: number;
  readonly paidAmountFen: number;
  readonly returnedLines: number;
  readonly carriedLines: number;
  readonly byDistrictAndBank: readonly {
    readonly district: string;
    readonly bank: string;
    readonly lines: number;
    readonly amountFen: number;
  }[];
}

export async function paymentRunTotals(q: Queryable, runId: string): Promise<PaymentRunTotals> {
  const [all] = (await q.query(
    `SELECT count(*)::int AS lines, coalesce(sum(amount_fen), 0)::bigint AS amount,
            count(*) FILTER (WHERE status = 'paid')::int AS paid_lines,
            coalesce(sum(amount_fen) FILTER (WHERE status = 'paid'), 0)::bigint AS paid_amount,
            count(*) FILTER (WHERE status IN ('returned', 'corrected'))::int AS returned_lines,
            count(*) FILTER (WHERE carried_from_run_id IS NOT NULL)::int AS carried_lines
     FROM payment_lines WHERE run_id = $1`,
    [runId],
  )) as Record<string, unknown>[];
  const groups = (await q.query(
    `SELECT district, bank, count(*)::int AS lines, sum(amount_fen)::bigint AS amount
     FROM payment_lines WHERE run_id = $1 GROUP BY district, bank ORDER BY district, bank`,
    [runId],
  )) as Record<string, unknown>[];
  return {
    lines: Number(all?.['lines'] ?? 0),
    amountFen: Number(all?.['amount'] ?? 0),
    paidLines: Number(all?.['paid_lines'] ?? 0),
    paidAmountFen: Number(all?.['paid_amount'] ?? 0),
    returnedLines: Number(all?.['returned_lines'] ?? 0),
    carriedLines: Number(all?.['carried_lines'] ?? 0),
    byDistrictAndBank: groups.map((g) => ({
      district: String(g['district']),
      bank: String(g['bank']),
      lines: Number(g['lines']),
      amountFen: Number(g['amount']),
    })),
  };
}

/** A line of a run's payment file, with the encrypted fields the gateway decrypts for the bank's file. */
export interface ExportRow {
  readonly lineId: string;
  readonly month: string;
  readonly trackingNumber: string;
  readonly itemCode: string;
  readonly district: string;
  readonly division: string;
  readonly bank: string;
  readonly amountFen: number;
  readonly nameEncrypted: string;
  readonly applicationEncrypted: string;
}

/** The lines of one run, district and bank to pay (pending), in line id order. */
export async function paymentFileRows(
  q: Queryable,
  runId: string,
  district: string,
  bank: string,
): Promise<ExportRow[]> {
  const rows = (await q.query(
    `SELECT l.id, l.month, c.tracking_number, l.item_code, l.district, l.division, l.bank, l.amount_fen,
            a.name_encrypted, c.application_encrypted
     FROM payment_lines l JOIN entitlements e ON e.id = l.entitlement_id JOIN cases c ON c.id = e.case_id
          JOIN applicants a ON a.id = c.applicant_id
     WHERE l.run_id = $1 AND l.district = $2 AND l.bank = $3 AND l.status = 'pending' ORDER BY l.id`,
    [runId, district, bank],
  )) as Record<string, unknown>[];
  return rows.map((r) => ({
    lineId: String(r['id']),
    month: String(r['month']),
    trackingNumber: String(r['tracking_number']),
    itemCode: String(r['item_code']),
    district: String(r['district']),
    division: String(r['division']),
    bank: String(r['bank']),
    amountFen: Number(r['amount_fen']),
    nameEncrypted: String(r['name_encrypted']),
    applicationEncrypted: String(r['application_encrypted']),
  }));
}

/** The first export of a ready run moves it to `exported` (later exports of other districts and banks keep it). */
export async function markPaymentRunExported(q: Queryable, runId: string, now: Date): Promise<void> {
  await q.query(`UPDATE payment_runs SET state = 'exported', exported_at = $2 WHERE id = $1 AND state = 'ready'`, [
    runId,
    now,
  ]);
}

export interface BankResultRow {
  readonly lineId: string;
  readonly outcome: 'paid' | 'returned';
  readonly reason: string | null;
}

/** What an import changed: lines settled now, and lines that had been settled by an earlier import of the file. */
export interface BankResultsApplied {
  readonly paid: number;
  readonly returned: number;
  readonly alreadySettled: number;
  readonly confirmed: boolean;
}

/** A line an import settled, with what its case's portal is told (docs/webhooks.md "Events"). */
export interface SettledLine {
  readonly lineId: string;
  readonly runId: string;
  readonly entitlementId: string;
  readonly caseId: string;
  /** The case's status when the line was settled. */
  readonly caseStatus: string;
  readonly itemCode: string;
  readonly month: string;
  readonly amountFen: number;
  readonly outcome: 'paid' | 'returned';
  readonly reason: string | null;
}

/**
 * Settles a run's pending lines as the bank's file says; a line already settled (the same file imported twice) is
 * left as it is, and is not among `settled`. First the cases of the lines still pending are locked in id order (the
 * lock order, docs/operations.md), so what their portals are told of the settled lines is ordered after every
 * earlier change of the case. When no line of the run is pending any more, the run is confirmed. The caller has
 * checked that every line id belongs to the run (`unknownLineIds`). `settled` is in case, month and line order.
 */
export async function applyBankResults(
  q: Queryable,
  runId: string,
  results: readonly BankResultRow[],
  now: Date,
): Promise<{ summary: BankResultsApplied; settled: SettledLine[] }> {
  const lineIds = results.map((r) => r.lineId);
  await q.query(
    `SELECT id FROM cases
     WHERE id IN (SELECT e.case_id FROM payment_lines l JOIN entitlements e ON e.id = l.entitlement_id
                  WHERE l.id = ANY ($2::uuid[]) AND l.run_id = $1 AND l.status = 'pending')
     ORDER BY id FOR UPDATE`,
    [runId, lineIds],
  );
  const rows = (await q.query(
    `WITH settled AS (
       UPDATE payment_lines l SET status = r.outcome, return_reason = r.reason, settled_at = $5
       FROM unnest($2::uuid[], $3::text[], $4::text[]) AS r(id, outcome, reason), entitlements e, cases c
       WHERE l.id = r.id AND l.run_id = $1 AND l.status = 'pending' AND e.id = l.entitlement_id AND c.id = e.case_id
       RETURNING l.id, l.entitlement_id, e.case_id, c.status AS case_status, l.item_code, l.month, l.amount_fen,
                 l.status, l.return_reason)
     SELECT * FROM settled`,
    [runId, lineIds, results.map((r) => r.outcome), results.map((r) => r.reason), now],
  )) as Record<string, unknown>[];
  const settled = rows
    .map((r): SettledLine => ({
      lineId: String(r['id']),
      runId,
      entitlementId: String(r['entitlement_id']),
      caseId: String(r['case_id']),
      caseStatus: String(r['case_status']),
      itemCode: String(r['item_code']),
      month: String(r['month']),
      amountFen: Number(r['amount_fen']),
      outcome: r['status'] as SettledLine['outcome'],
      reason: r['return_reason'] === null ? null : String(r['return_reason']),
    }))
    .sort((a, b) => compare(a.caseId, b.caseId) || compare(a.month, b.month) || compare(a.lineId, b.lineId));
  const [pending] = (await q.query(
    `SELECT count(*)::int AS n FROM payment_lines WHERE run_id = $1 AND status = 'pending'`,
    [runId],
  )) as { n: number }[];
  const confirmed = pending!.n === 0;
  if (confirmed) {
    await q.query(
      `UPDATE payment_runs SET state = 'confirmed', confirmed_at = $2 WHERE id = $1 AND state = 'exported'`,
      [runId, now],
    );
  }
  const paid = settled.filter((l) => l.outcome === 'paid').length;
  const returned = settled.length - paid;
  return { summary: { paid, returned, alreadySettled: results.length - paid - returned, confirmed }, settled };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The ids among `lineIds` that are not lines of the run. */
export async function unknownLineIds(q: Queryable, runId: string, lineIds: readonly string[]): Promise<string[]> {
  const rows = (await q.query(
    `SELECT r.id FROM unnest($2::uuid[]) AS r(id)
     WHERE NOT EXISTS (SELECT 1 FROM payment_lines l WHERE l.id = r.id AND l.run_id = $1)`,
    [runId, lineIds],
  )) as { id: string }[];
  return rows.map((r) => String(r.id));
}

/**
 * Paid lines summed per item, district and month between two months (inclusive), within the caller's divisions:
 * what the expenditure report regroups (docs/money.md "The expenditure report").
 */
export async function paidSums(
  q: Queryable,
  range: { from: string; to: string },
  scope: { everything: boolean; prefixes: readonly string[] },
): Promise<{ itemCode: string; district: string; month: string; lines: number; amountFen: number }[]> {
  const rows = (await q.query(
    `SELECT item_code, district, month, count(*)::int AS lines, sum(amount_fen)::bigint AS amount
     FROM payment_lines
     WHERE status = 'paid' AND month BETWEEN $1 AND $2
       AND ($3::boolean OR division LIKE ANY (SELECT p || '%' FROM unnest($4::text[]) AS p))
     GROUP BY item_code, district, month ORDER BY item_code, district, month`,
    [range.from, range.to, scope.everything, scope.prefixes],
  )) as Record<string, unknown>[];
  return rows.map((r) => ({
    itemCode: String(r['item_code']),
    district: String(r['district']),
    month: String(r['month']),
    lines: Number(r['lines']),
    amountFen: Number(r['amount']),
  }));
}
