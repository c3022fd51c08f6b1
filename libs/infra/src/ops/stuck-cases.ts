import { type Queryable } from '../case-log/case-event-chain.js';
import { type CaseCommand } from '../queue/queue-contract.js';

/** BullMQ job id of a case command: deterministic, so a re-drive or a second relay never runs it twice. */
export function caseCommandJobId(commandId: string): string {
  return `cmd-${commandId}`;
}

/** An open case with a command written but never processed (no event carries the command's id). */
export interface UnappliedCommand {
  readonly caseId: string;
  readonly trackingNumber: string;
  readonly itemCode: string;
  readonly status: string;
  readonly departmentCode: string;
  readonly division: string;
  readonly outboxId: string;
  readonly command: CaseCommand;
  readonly commandWrittenAt: Date;
  readonly sentAt: Date | null;
}

interface Row {
  case_id: string;
  tracking_number: string;
  item_code: string;
  status: string;
  department_code: string;
  accepting_division: string;
  outbox_id: string;
  payload: CaseCommand;
  created_at: Date;
  sent_at: Date | null;
}

const SELECT = `
  SELECT * FROM (
    -- the oldest unapplied command of each open case: commands apply in order, so the case waits on this one
    SELECT DISTINCT ON (o.case_id)
           c.id AS case_id, c.tracking_number, c.item_code, c.status, c.department_code, c.accepting_division,
           o.id::text AS outbox_id, o.payload, o.created_at, o.sent_at
    FROM outbox o
    JOIN cases c ON c.id = o.case_id AND c.closed_at IS NULL
    WHERE o.kind = 'case.command'
      AND o.created_at < now() - make_interval(secs => $1)
      -- every processed command leaves an event whose id is the command id (applied or refused)
      AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.id = (o.payload ->> 'commandId')::uuid)
      CASE_FILTER
    ORDER BY o.case_id, o.id
  ) unapplied`;

function toCommand(row: Row): UnappliedCommand {
  return {
    caseId: row.case_id,
    trackingNumber: row.tracking_number,
    itemCode: row.item_code,
    status: row.status,
    departmentCode: row.department_code,
    division: row.accepting_division,
    outboxId: row.outbox_id,
    command: row.payload,
    commandWrittenAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/**
 * The PostgreSQL half of "is this case stuck?": open cases with a `case.command` outbox row that has no event,
 * older than `graceSeconds` (younger ones are normally still in flight); for each case its oldest such command,
 * oldest first. Whether the job is missing or failed is the Redis half, asked by the caller (the operator API, a
 * reconciler) for these candidates only.
 */
export async function findUnappliedCommands(
  q: Queryable,
  options: { graceSeconds: number; limit: number; caseId?: string },
): Promise<UnappliedCommand[]> {
  const rows = (await q.query(
    `${SELECT.replace('CASE_FILTER', options.caseId ? 'AND c.id = $3' : '')} ORDER BY created_at LIMIT $2`,
    options.caseId ? [options.graceSeconds, options.limit, options.caseId] : [options.graceSeconds, options.limit],
  )) as Row[];
  return rows.map(toCommand);
}
