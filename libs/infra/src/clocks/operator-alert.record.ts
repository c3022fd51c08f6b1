import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Something an operator must act on, such as a deadline asked for in a year with no published calendar. One open
 * row per (kind, key); a repeat bumps `occurrences` and `last_at` instead of adding rows.
 */
@Entity({ name: 'operator_alerts' })
@Index('UQ_operator_alerts_open', ['kind', 'key'], { unique: true, where: '"resolved_at" IS NULL' })
export class OperatorAlertRecord {
  @PrimaryGeneratedColumn({ type: 'bigint', name: 'id', primaryKeyConstraintName: 'PK_operator_alerts' })
  id!: string;

  @Column({ type: 'text', name: 'kind' })
  kind!: string;

  @Column({ type: 'text', name: 'key' })
  key!: string;

  @Column({ type: 'jsonb', name: 'details', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @Column({ type: 'integer', name: 'occurrences', default: 1 })
  occurrences!: number;

  @Column({ type: 'timestamptz', name: 'first_at', default: () => 'now()' })
  firstAt!: Date;

  @Column({ type: 'timestamptz', name: 'last_at', default: () => 'now()' })
  lastAt!: Date;

  @Column({ type: 'timestamptz', name: 'resolved_at', nullable: true })
  resolvedAt!: Date | null;
}
