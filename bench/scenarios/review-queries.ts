import type { DataSource } from 'typeorm';

/**
 * The reviewer inbox and SLA board queries the scale scenario times. The gateway builds them in its services
 * (apps/gateway/src/tasks/task-reads.ts, apps/gateway/src/clocks/sla-board.ts); the bench runs those services on a
 * data source that records the SQL instead of executing it, so the timed text is exactly the gateway's and a
 * change there shows here.
 */
export interface Scope {
  readonly department: string;
  readonly level: string;
  readonly divisions: readonly string[];
  readonly roles: readonly string[];
}

/** The inbox's query string options the bench uses (see task.requests.ts). */
export interface InboxOptions {
  readonly cursor?: string;
  readonly overdue?: 'true' | 'false';
}

export interface Query {
  readonly sql: string;
  readonly params: unknown[];
}

export interface ReviewQueries {
  /** Where the SQL came from, shown in the table. */
  readonly inboxSource: string;
  readonly boardSource: string;
  inbox(scope: Scope, options?: InboxOptions): Promise<Query>;
  board(scope: Scope): Promise<Query>;
}

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

async function capture(run: () => Promise<unknown>): Promise<Query> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CapturedQuery) return { sql: error.sql, params: error.params };
    throw error;
  }
  throw new Error('the service ran no query');
}

const staffOf = (scope: Scope) => ({ subject: 'bench', name: 'bench', ...scope }) as never;

/** A cursor as the inbox hands it out (base64url JSON of the last row's due time and id). */
export function inboxCursor(dueAt: Date | null, id: string): string {
  return Buffer.from(JSON.stringify({ dueAt: dueAt?.toISOString() ?? null, id })).toString('base64url');
}

export async function findReviewQueries(): Promise<ReviewQueries> {
  const { TaskReads } = await import('../../apps/gateway/src/tasks/task-reads.js');
  const { SlaBoard } = await import('../../apps/gateway/src/clocks/sla-board.js');
  const { systemClock } = await import('../../libs/infra/src/index.js');
  const reads = new TaskReads(recorder, null as never, systemClock);
  const board = new SlaBoard(recorder, systemClock);
  return {
    inboxSource: 'GET /v1/tasks query (TaskReads.inbox)',
    boardSource: 'GET /v1/ops/sla query (SlaBoard.read)',
    inbox: (scope, options = {}) => capture(() => reads.inbox(staffOf(scope), { limit: 50, ...options })),
    board: (scope) => capture(() => board.read(staffOf(scope), { limit: 50 })),
  };
}
