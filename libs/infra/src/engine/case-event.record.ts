import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation, Unique } from 'typeorm';
import { CaseRecord } from '../intake/case.record.js';

/**
 * One event of a case's append-only, hash-chained log (docs/architecture.md invariant 2). Written with plain SQL by
 * `appendCaseEvents`; this record is for reads and the migration check.
 */
@Entity({ name: 'case_events' })
@Unique('UQ_case_events_id', ['id'])
export class CaseEventRecord {
  @PrimaryColumn({ type: 'uuid', name: 'case_id', primaryKeyConstraintName: 'PK_case_events' })
  caseId!: string;

  @PrimaryColumn({ type: 'integer', name: 'seq', primaryKeyConstraintName: 'PK_case_events' })
  seq!: number;

  @ManyToOne(() => CaseRecord, { nullable: false })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'FK_case_events_case' })
  case?: Relation<CaseRecord>;

  @Column({ type: 'uuid', name: 'id' })
  id!: string;

  @Column({ type: 'text', name: 'type' })
  type!: string;

  @Column({ type: 'text', name: 'actor' })
  actor!: string;

  @Column({ type: 'jsonb', name: 'payload', default: () => "'{}'" })
  payload!: Record<string, unknown>;

  @Column({ type: 'timestamptz', name: 'occurred_at', default: () => 'now()' })
  occurredAt!: Date;

  @Column({ type: 'text', name: 'request_id', nullable: true })
  requestId!: string | null;

  @Column({ type: 'text', name: 'prev_hash', nullable: true })
  prevHash!: string | null;

  @Column({ type: 'text', name: 'hash' })
  hash!: string;
}
