import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { WebhookEndpointRecord } from './webhook-endpoint.record.js';

export const DELIVERY_STATUSES = ['pending', 'waiting', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event for one endpoint (docs/webhooks.md "Delivery, order and retries"). Written in the engine's transaction of the step that
 * caused the event, so `id` (an identity) orders the deliveries of a case as its steps were taken; a delivery is
 * sent only when no earlier one of the same endpoint and case is still pending or waiting. `dispatch` counts the
 * jobs queued for it: a job whose number is not the row's is stale and does nothing.
 */
@Entity({ name: 'webhook_deliveries' })
@Check('CHK_webhook_deliveries_status', `"status" IN ('pending', 'waiting', 'delivered', 'dead')`)
@Index('IDX_webhook_deliveries_chain', ['endpointId', 'caseId', 'id'], {
  where: `"status" IN ('pending', 'waiting')`,
})
@Index('IDX_webhook_deliveries_endpoint', ['endpointId', 'id'])
export class WebhookDeliveryRecord {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    name: 'id',
    primaryKeyConstraintName: 'PK_webhook_deliveries',
  })
  id!: string;

  @Column({ type: 'uuid', name: 'endpoint_id' })
  endpointId!: string;

  @ManyToOne(() => WebhookEndpointRecord, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'FK_webhook_deliveries_endpoint' })
  endpoint?: Relation<WebhookEndpointRecord>;

  @Column({ type: 'uuid', name: 'case_id', nullable: true })
  caseId!: string | null;

  /** The `webhook-id` header: the same for every attempt and every replay of the message. */
  @Column({ type: 'text', name: 'message_id' })
  messageId!: string;

  @Column({ type: 'text', name: 'event_type' })
  eventType!: string;

  /** The JSON body sent, exactly (ids and codes only, no personal data). */
  @Column({ type: 'text', name: 'body' })
  body!: string;

  @Column({ type: 'text', name: 'status', default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'integer', name: 'attempts', default: 0 })
  attempts!: number;

  @Column({ type: 'integer', name: 'dispatch', default: 0 })
  dispatch!: number;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'first_attempt_at', nullable: true })
  firstAttemptAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  /** A replay's original delivery. */
  @Column({ type: 'bigint', name: 'replay_of', nullable: true })
  replayOf!: string | null;
}
