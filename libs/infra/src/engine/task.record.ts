import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CaseRecord } from '../intake/case.record.js';

/**
 * A reviewer's task: one open task per step of a case, scoped by department, level and division (the inbox
 * filters on exactly these, docs/architecture.md invariant 6). Opened, closed and decided by the engine; claimed by
 * reviewers through the gateway, which records a reviewer's decision as a request the engine answers
 * (docs/architecture.md invariant 12).
 */
@Entity({ name: 'tasks' })
@Index('UQ_tasks_open_step', ['caseId', 'step'], { unique: true, where: '"closed_at" IS NULL' })
// The reviewer inbox in keyset order (department, level, division, coalesce(due_at, 'infinity'), id): an expression.
@Index('IDX_tasks_inbox_keyset', { synchronize: false })
@Index('IDX_tasks_case', ['caseId', 'closedAt'])
export class TaskRecord {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'PK_tasks' })
  id!: string;

  @Column({ type: 'uuid', name: 'case_id' })
  caseId!: string;

  @ManyToOne(() => CaseRecord, { nullable: false })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'FK_tasks_case' })
  case?: Relation<CaseRecord>;

  @Column({ type: 'text', name: 'step' })
  step!: string;

  @Column({ type: 'text', name: 'kind' })
  kind!: string;

  @Column({ type: 'text', name: 'level' })
  level!: string;

  @Column({ type: 'text', name: 'department_code' })
  departmentCode!: string;

  @Column({ type: 'text', name: 'division_code' })
  divisionCode!: string;

  @Column({ type: 'text', name: 'item_code' })
  itemCode!: string;

  @Column({ type: 'text', name: 'status', default: 'open' })
  status!: string;

  @Column({ type: 'text', name: 'outcomes', array: true, default: () => "'{}'" })
  outcomes!: string[];

  @Column({ type: 'text', name: 'reject_reasons', array: true, default: () => "'{}'" })
  rejectReasons!: string[];

  @Column({ type: 'jsonb', name: 'details', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @Column({ type: 'integer', name: 'priority', default: 0 })
  priority!: number;

  @Column({ type: 'timestamptz', name: 'due_at', nullable: true })
  dueAt!: Date | null;

  @Column({ type: 'text', name: 'claimed_by', nullable: true })
  claimedBy!: string | null;

  @Column({ type: 'timestamptz', name: 'claimed_at', nullable: true })
  claimedAt!: Date | null;

  @Column({ type: 'text', name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  @Column({ type: 'jsonb', name: 'decision', nullable: true })
  decision!: Record<string, unknown> | null;

  /** The last decision request: recorded by the gateway, answered by the engine (`DecisionRequest`). */
  @Column({ type: 'jsonb', name: 'decision_request', nullable: true })
  decisionRequest!: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', name: 'opened_at', default: () => 'now()' })
  openedAt!: Date;

  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true })
  closedAt!: Date | null;

  @Column({ type: 'integer', name: 'version', default: 0 })
  version!: number;
}
