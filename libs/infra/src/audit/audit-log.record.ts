import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Who did what to which target, append-only. Operator actions on queues and cases are recorded here with the
 * request id, so an action can be traced from the log line to the row and back.
 */
@Entity({ name: 'audit_log' })
@Index('IDX_audit_log_target', ['target', 'at'])
export class AuditLogRecord {
  @PrimaryGeneratedColumn({ type: 'bigint', name: 'id', primaryKeyConstraintName: 'PK_audit_log' })
  id!: string;

  @Column({ type: 'timestamptz', name: 'at', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'text', name: 'actor' })
  actor!: string;

  @Column({ type: 'text', name: 'actor_role' })
  actorRole!: string;

  @Column({ type: 'text', name: 'action' })
  action!: string;

  @Column({ type: 'text', name: 'target' })
  target!: string;

  @Column({ type: 'jsonb', name: 'details', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @Column({ type: 'text', name: 'request_id', nullable: true })
  requestId!: string | null;
}
