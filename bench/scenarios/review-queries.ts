import type { DataSource } from 'typeorm';

/**
 * The reviewer inbox and SLA board queries the scale scenario times. The gateway builds them in its services
 * (apps/gateway/src/tasks/task-reads.ts, apps/gateway/src/sla/sla-board.ts); the bench runs those services on a
 * data source that records the SQL instead of executing it, so the timed text is exactly the gateway's and a
 * change there shows here. Where a service is missing, the query shape the schema's indexes were built for is
 * used and labelled as such.
 */
export interface Scope {
  readonly department: string;
  readonly level: string;
  readonly divisions: readonly string[];
  readonly roles: readonly string[];
}

export interface TimedQuery {
  /** Where the SQL came from, shown in the table. */
  readonly source: string;
  build(scope: Scope): Promise<{ sql: string; params: unknown[] }>;
}

const INBOX_SHAPE = `SELECT id, case_id, step, kind, level, division_code, due_at, claimed_by
  FROM tasks
  WHERE closed_at IS NULL AND department_code = $1 AND level = $2 AND division_code = ANY($3)
  ORDER BY due_at LIMIT 50`;

const BOARD_SHAPE = `SELECT c.department_code, c.accepting_division,
         count(*) FILTER (WHERE k.due_at < now()) AS late,
         count(*) FILTER (WHERE k.due_at >= now()) AS at_risk
  FROM case_clocks k JOIN cases c ON c.id = k.case_id
  WHERE k.stopped_at IS NULL AND k.due_at < now() + interval '3 days'
  GROUP BY c.department_code, c.accepting_division`;

class CapturedQuery extends Error {
  constructor(
    readonly sql: string,
    readonly params: unknown[],
  ) {
    super('captured');
  }
}

const recorder = {
  query(sql: string, params: unknown[] = []): Promise<never> {
    return Promise.reject(new CapturedQuery(sql, params));
  },
} as unknown as DataSource;

async function capture(run: () => Promise<unknown>): Promise<{ sql: string; params: unknown[] }> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CapturedQuery) return { sql: error.sql, params: error.params };
    throw error;
  }
  throw new Error('the service ran no query');
}

const staffOf = (scope: Scope) => ({ subject: 'bench', name: 'bench', ...scope }) as never;

export async function findReviewQueries(): Promise<{ inbox: TimedQuery; board: TimedQuery }> {
  let inbox: TimedQuery = {
    source: 'query shape (gateway inbox not found)',
    build: (s) => Promise.resolve({ sql: INBOX_SHAPE, params: [s.department, s.level, [...s.divisions]] }),
  };
  let board: TimedQuery = {
    source: 'query shape (gateway SLA board not found)',
    build: () => Promise.resolve({ sql: BOARD_SHAPE, params: [] }),
  };
  try {
    const { TaskReads } = await import('../../apps/gateway/src/tasks/task-reads.js');
    const reads = new TaskReads(recorder, null as never);
    inbox = {
      source: 'GET /v1/tasks query (TaskReads.inbox)',
      build: (s) => capture(() => reads.inbox(staffOf(s), { limit: 50 })),
    };
  } catch {
    // keep the shape
  }
  try {
    const { SlaBoard } = await import('../../apps/gateway/src/sla/sla-board.js');
    const reader = new SlaBoard(recorder);
    board = {
      source: 'GET /v1/ops/sla query (SlaBoard.read)',
      build: (s) => capture(() => reader.read(staffOf(s), { limit: 50 })),
    };
  } catch {
    // keep the shape
  }
  return { inbox, board };
}
