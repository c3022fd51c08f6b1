import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { CaseRecord } from '../intake/case.record.js';
import { type ClockExtension, type ClockPause } from '@minsheng/domain';

/**
 * A statutory clock of a case: the case's overall limit or one step's (docs/architecture.md invariant 7). The engine
 * writes it from the machine's clock intents; the SLA timers fire from it. `generation` moves on with every change
 * (pause, resume, extension, recomputation), so a timer armed for an older generation does nothing.
 */
@Entity({ name: 'case_clocks' })
@Unique('UQ_case_clocks_case_clock', ['caseId', 'clock'])
@Index('IDX_case_clocks_running_due', ['dueAt'], { where: '"stopped_at" IS NULL' })
@Index('IDX_case_clocks_calendar_missing', ['calendarMissing'], {
  where: '"calendar_missing" IS NOT NULL AND "stopped_at" IS NULL',
})
// The SLA board's range of late and at-risk clocks (an expression index TypeORM cannot describe).
@Index('IDX_case_clocks_board', { synchronize: false })
@Check('CHK_case_clocks_due_or_missing', '("due_at" IS NULL) <> ("calendar_missing" IS NULL)')
@Check('CHK_case_clocks_provisional_due', 'NOT "due_provisional" OR "due_at" IS NOT NULL')
@Check('CHK_case_clocks_basis', `"basis" IN ('statutory', 'target')`)
export class CaseClockRecord {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'PK_case_clocks' })
  id!: string;

  @Column({ type: 'uuid', name: 'case_id' })
  caseId!: string;

  @ManyToOne(() => CaseRecord, { nullable: false })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'FK_case_clocks_case' })
  case?: Relation<CaseRecord>;

  /** `overall`, a step name, or a waiting period such as `public-notice`. */
  @Column({ type: 'text', name: 'clock' })
  clock!: string;

  /** `deadline` (reminds, breaches, escalates) or `period` (its end is an ordinary event). */
  @Column({ type: 'text', name: 'kind' })
  kind!: string;

  @Column({ type: 'integer', name: 'limit_amount' })
  limitAmount!: number;

  /** `working-days`, `calendar-days` or `months`. */
  @Column({ type: 'text', name: 'unit' })
  unit!: string;

  /** The regulation the limit comes from. */
  @Column({ type: 'text', name: 'source' })
  source!: string;

  /** How well the limit is backed (docs/domain.md §0.1 evidence tags: V, S, R, G); `unknown` on clocks older than it. */
  @Column({ type: 'text', name: 'evidence', default: 'unknown' })
  evidence!: string;

  /**
   * `statutory` (the law sets the limit: a breach escalates) or `target` (a local practice or an assumption: it
   * reminds and shows on the SLA board, but does not escalate), from the limit's evidence (docs/clocks.md).
   */
  @Column({ type: 'text', name: 'basis', default: 'statutory' })
  basis!: string;

  @Column({ type: 'text', name: 'region', default: 'xinjiang' })
  region!: string;

  @Column({ type: 'timestamptz', name: 'started_at' })
  startedAt!: Date;

  /**
   * The exclusive end of the due day in China Standard Time (`endOfDayInShanghai(due)`); NULL while the count
   * reaches a year with no published calendar (then `calendarMissing` says which).
   */
  @Column({ type: 'timestamptz', name: 'due_at', nullable: true })
  dueAt!: Date | null;

  /** The calendar the due date waits for, e.g. `national/2027` (fail closed, never a guess: docs/clocks.md). */
  @Column({ type: 'text', name: 'calendar_missing', nullable: true })
  calendarMissing!: string | null;

  /**
   * The due date was counted in a provisional calendar (a drafted year, or a notice not yet confirmed: the
   * explanation's `count.unconfirmed` is not empty). Written with `due_at` by every writer of it, so the answers
   * that list due dates can mark them without reading the explanation; publishing the official year clears it.
   */
  @Column({ type: 'boolean', name: 'due_provisional', default: false })
  dueProvisional!: boolean;

  @Column({ type: 'jsonb', name: 'explanation', default: () => "'{}'" })
  explanation!: Record<string, unknown>;

  @Column({ type: 'timestamptz', name: 'paused_at', nullable: true })
  pausedAt!: Date | null;

  @Column({ type: 'jsonb', name: 'pauses', default: () => "'[]'" })
  pauses!: ClockPause[];

  @Column({ type: 'jsonb', name: 'extensions', default: () => "'[]'" })
  extensions!: ClockExtension[];

  @Column({ type: 'timestamptz', name: 'stopped_at', nullable: true })
  stoppedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'remind_at', nullable: true })
  remindAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'reminded_at', nullable: true })
  remindedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'breached_at', nullable: true })
  breachedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'escalated_at', nullable: true })
  escalatedAt!: Date | null;

  /** A `period` clock's due timer told the machine the period ended. */
  @Column({ type: 'timestamptz', name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  @Column({ type: 'integer', name: 'generation', default: 0 })
  generation!: number;

  /**
   * Where the clock's step is worked (the SLA board groups by these): the step's open task's department and
   * division, the latest open task's for the overall clock, else the case's. Kept by triggers of the
   * review-indexes migration; writers need not set them.
   */
  @Column({ type: 'text', name: 'department_code' })
  departmentCode!: string;

  @Column({ type: 'text', name: 'office' })
  office!: string;
}
