import type { RatioRow, ResultRow } from './context.js';

const ratio = (a: number | undefined, b: number | undefined): number | null =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? null : a / b;

/**
 * The figures with targets (bench/README.md "Targets: met and missed"), each a ratio to a limit measured in the same
 * run: the target a full run must meet, and beside it in the note the goal beyond it.
 */
export function ratios(metrics: ReadonlyMap<string, number>, scaleCases: number): RatioRow[] {
  const m = (key: string) => metrics.get(key);
  const pct = (v: number | null) => (v === null ? null : v * 100);
  const atLeast = (v: number | null, target: number) => (v === null ? undefined : v >= target);
  const atMost = (v: number | null, target: number) => (v === null ? undefined : v <= target);
  const wf2 = pct(ratio(m('workflow.2.stepsPerSecond'), m('bareLoop.stepsPerSecond')));
  const engine2 = pct(ratio(m('workflow.engine.2.stepsPerSecond'), m('bareLoop.stepsPerSecond')));
  const halfRateP99 = m('intake.halfRateP99') ?? null;
  const peer = ratio(m('workflow.2.stepsPerSecond'), m('peer.bpmnStepsPerSecond'));
  const wf1 = pct(ratio(m('workflow.1.stepsPerSecond'), m('bareLoop.stepsPerSecond')));
  const intake = pct(ratio(m('intake.requestsPerSecond'), m('db.insertsPerSecond')));
  const timers = m('timers.p99') ?? null;
  const inbox = m('scale.inboxP99') ?? null;
  const scaleNote =
    scaleCases < 1_000_000 ? `at ${scaleCases.toLocaleString('en-US')} cases (target is at 1,000,000)` : undefined;
  return [
    {
      name: 'workflow steps/s, 2 workers ÷ bare loop',
      value: wf2,
      unit: '%',
      target: '≥ 35 %',
      met: atLeast(wf2, 35),
      note: 'goal 70 %',
    },
    { name: 'workflow steps/s, 1 worker ÷ bare loop', value: wf1, unit: '%' },
    // The same six steps without HTTP: what the engine itself (relay, engine, clock arming) reaches.
    {
      name: 'engine-only steps/s (no HTTP), 2 workers ÷ bare loop',
      value: engine2,
      unit: '%',
      target: '≥ 80 %',
      met: atLeast(engine2, 80),
    },
    {
      name: 'engine-only steps/s (no HTTP), 1 worker ÷ bare loop',
      value: pct(ratio(m('workflow.engine.1.stepsPerSecond'), m('bareLoop.stepsPerSecond'))),
      unit: '%',
    },
    {
      name: 'intake requests/s ÷ database insert tx/s',
      value: intake,
      unit: '%',
      target: '≥ 25 %',
      met: atLeast(intake, 25),
      note: 'goal 50 %',
    },
    {
      name: 'intake latency p99 at half the reached rate',
      value: halfRateP99,
      unit: 'ms',
      target: '≤ 50 ms',
      met: atMost(halfRateP99, 50),
    },
    {
      name: 'timer firing lateness p99',
      value: timers,
      unit: 'ms',
      target: '≤ 1000 ms',
      met: atMost(timers, 1000),
      note: m('timers.path') === 1 ? 'clock-timers path, goal 100 ms' : 'raw BullMQ delayed jobs',
    },
    {
      name: 'reviewer inbox query p99',
      value: inbox,
      unit: 'ms',
      target: '≤ 20 ms',
      met: atMost(inbox, 20),
      note: scaleNote,
    },
    { name: 'SLA board query p99', value: m('scale.boardP99') ?? null, unit: 'ms', note: scaleNote },
    {
      name: 'workflow steps/s, 2 workers ÷ bpmn-engine in process',
      value: peer,
      unit: 'x',
      target: '> 1.00 x',
      met: peer === null ? undefined : peer > 1,
    },
    // A month's payment run over the active entitlements, against the database's rates of the same run.
    {
      name: 'payment-run lines/s ÷ database insert tx/s',
      value: pct(ratio(m('paymentRun.linesPerSecond'), m('db.insertsPerSecond'))),
      unit: '%',
      note: 'a line is a row; the build writes 1,000 per transaction',
    },
    {
      name: 'payment-run lines/s ÷ bare SQL lines/s',
      value: pct(ratio(m('paymentRun.linesPerSecond'), m('paymentRun.bareLinesPerSecond'))),
      unit: '%',
    },
    {
      name: 'bare loop ÷ BullMQ no-op jobs/s',
      value: pct(ratio(m('bareLoop.stepsPerSecond'), m('queue.jobsPerSecond'))),
      unit: '%',
    },
    {
      name: 'bare loop ÷ database insert tx/s',
      value: pct(ratio(m('bareLoop.stepsPerSecond'), m('db.insertsPerSecond'))),
      unit: '%',
    },
  ];
}

function formatValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return '—';
  // Statements and commands per unit keep two decimals at any size: a regression of 0.5 per step must show.
  const digits = unit === 'x' || unit === 'stmts' || unit === 'cmds' || Math.abs(value) < 10 ? 2 : unit === '%' ? 1 : 0;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return unit === 'x' ? `${text} x` : `${text} ${unit}`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Markdown tables: ratios and targets first, then every measured row. */
export function renderTables(ratioRows: readonly RatioRow[], rows: readonly ResultRow[]): string {
  const ratioTable = table(
    ['Ratio / target', 'Value', 'Target', 'Met'],
    ratioRows.map((r) => [
      r.note ? `${r.name} (${r.note})` : r.name,
      formatValue(r.value, r.unit),
      r.target ?? '',
      r.met === undefined ? (r.target ? 'not measured' : '') : r.met ? 'yes' : 'no',
    ]),
  );
  const resultTable = table(
    ['Scenario', 'Metric', 'Value', 'Note'],
    rows.map((r) => [r.scenario, r.metric, r.value === null ? '—' : formatValue(r.value, r.unit), r.note ?? '']),
  );
  return `${ratioTable}\n\n${resultTable}`;
}

/** A pass's tables, as `renderSideBySide` needs them. */
interface PassFigures {
  readonly backend: string;
  readonly ratios: readonly RatioRow[];
  readonly rows: readonly ResultRow[];
}

/**
 * The two passes of `--queue-backend both` side by side: Redis's figure, the PostgreSQL backend's
 * beside it, and their ratio. A scenario that uses no queue ran in the first pass only, its figures shared.
 */
export function renderSideBySide(redis: PassFigures, postgres: PassFigures, measuredOnce: ReadonlySet<string>): string {
  const ratioOf = (a: number | null | undefined, b: number | null | undefined) =>
    a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? '' : `${(a / b).toFixed(2)} x`;
  const ratioTable = table(
    ['Ratio / target', 'Redis', 'PostgreSQL queues', 'Target'],
    redis.ratios.map((r) => {
      const other = postgres.ratios.find((p) => p.name === r.name);
      return [
        r.note ? `${r.name} (${r.note})` : r.name,
        formatValue(r.value, r.unit),
        other ? formatValue(other.value, other.unit) : '—',
        r.target ?? '',
      ];
    }),
  );
  const key = (r: ResultRow) => `${r.scenario}\u0000${r.metric}`;
  const pgRows = new Map(postgres.rows.map((r) => [key(r), r]));
  const keys = [...new Set([...redis.rows.map(key), ...postgres.rows.map(key)])];
  const redisRows = new Map(redis.rows.map((r) => [key(r), r]));
  const resultTable = table(
    ['Scenario', 'Metric', 'Redis', 'PostgreSQL queues', 'PostgreSQL ÷ Redis', 'Note'],
    keys.map((k) => {
      const a = redisRows.get(k);
      const b = pgRows.get(k);
      const row = (a ?? b)!;
      const shown = (r: ResultRow | undefined) =>
        r === undefined ? '—' : r.value === null ? '—' : formatValue(r.value, r.unit);
      const notes = [a?.note, b?.note && b.note !== a?.note ? `PostgreSQL: ${b.note}` : undefined];
      return [
        row.scenario,
        row.metric,
        shown(a),
        b === undefined && measuredOnce.has(row.scenario) ? '(no queue: once)' : shown(b),
        a?.unit === b?.unit ? ratioOf(b?.value, a?.value) : '',
        notes.filter((n) => n).join('; '),
      ];
    }),
  );
  return `${ratioTable}\n\n${resultTable}`;
}
