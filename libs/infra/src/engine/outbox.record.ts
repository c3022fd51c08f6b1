import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Follow-up work committed with the change that causes it; the worker's relay moves due, unsent rows to BullMQ
 * (`IDX_outbox_unsent`) and the reconciler looks at sent commands (`IDX_outbox_sent_commands`).
 */
@Entity({ name: 'outbox' })
@Index('IDX_outbox_unsent', ['id'], { where: '"sent_at" IS NULL' })
@Index('IDX_outbox_sent_commands', ['sentAt'], { where: `"kind" = 'case.command' AND "sent_at" IS NOT NULL` })
export class OutboxRecord {
  @PrimaryGeneratedColumn({ type: 'bigint', name: 'id', primaryKeyConstraintName: 'PK_outbox' })
  id!: string;

  @Column({ type: 'uuid', name: 'case_id', nullable: true })
  caseId!: string | null;

  @Column({ type: 'text', name: 'kind' })
  kind!: string;

  @Column({ type: 'jsonb', name: 'payload', default: () => "'{}'" })
  payload!: Record<string, unknown>;

  @Column({ type: 'text', name: 'request_id', nullable: true })
  requestId!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'available_at', default: () => 'now()' })
  availableAt!: Date;

  @Column({ type: 'timestamptz', name: 'sent_at', nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'integer', name: 'attempts', default: 0 })
  attempts!: number;
}
