import { type ClockRow } from '@minsheng/infra';

export type Mark = 'reminded_at' | 'breached_at' | 'escalated_at' | 'ended_at';

/**
 * Whether a timer already fired for the clock's current run. A clock restarted under the same name (a second
 * public notice after a re-investigation) keeps its row; a mark older than the restart belongs to the earlier run.
 */
export function fired(row: ClockRow, mark: Mark): boolean {
  const at = row[mark];
  return at !== null && new Date(at).getTime() >= new Date(row.started_at).getTime();
}
