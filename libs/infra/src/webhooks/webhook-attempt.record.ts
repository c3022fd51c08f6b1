import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { WebhookDeliveryRecord } from './webhook-delivery.record.js';

/** One HTTP attempt of a delivery: what the receiver answered (or why there was no answer) and how long it took. */
@Entity({ name: 'webhook_attempts' })
@Unique('UQ_webhook_attempts_delivery_attempt', ['deliveryId', 'attempt'])
export class WebhookAttemptRecord {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'id', primaryKeyConstraintName: 'PK_webhook_attempts' })
  id!: string;

  @Column({ type: 'bigint', name: 'delivery_id' })
  deliveryId!: string;

  @ManyToOne(() => WebhookDeliveryRecord, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'FK_webhook_attempts_delivery' })
  delivery?: Relation<WebhookDeliveryRecord>;

  /** 1 for the first attempt. */
  @Column({ type: 'integer', name: 'attempt' })
  attempt!: number;

  @Column({ type: 'timestamptz', name: 'started_at' })
  startedAt!: Date;

  @Column({ type: 'integer', name: 'duration_ms' })
  durationMs!: number;

  @Column({ type: 'integer', name: 'status_code', nullable: true })
  statusCode!: number | null;

  /** Why the attempt failed (refused target, timeout, connection error, non-2xx); null when it succeeded. */
  @Column({ type: 'text', name: 'error', nullable: true })
  error!: string | null;
}
