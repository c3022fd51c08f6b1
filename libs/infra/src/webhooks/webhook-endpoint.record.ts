import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { PortalRecord } from '../intake/portal.record.js';

/**
 * A URL a portal registered to receive case events (docs/webhooks.md). The signing secret is stored encrypted
 * (AES-256-GCM, the PII key); after a rotation the previous secret keeps signing until `previous_secret_until`.
 * A deleted endpoint keeps its row (its deliveries and their log stay readable to operators) and gets no new ones.
 */
@Entity({ name: 'webhook_endpoints' })
@Index('IDX_webhook_endpoints_portal', ['portalId'], { where: '"deleted_at" IS NULL' })
export class WebhookEndpointRecord {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'PK_webhook_endpoints' })
  id!: string;

  @Column({ type: 'uuid', name: 'portal_id' })
  portalId!: string;

  @ManyToOne(() => PortalRecord, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'portal_id', foreignKeyConstraintName: 'FK_webhook_endpoints_portal' })
  portal?: Relation<PortalRecord>;

  @Column({ type: 'text', name: 'url' })
  url!: string;

  /** Event types subscribed to (docs/webhooks.md "Events"). */
  @Column({ type: 'text', name: 'events', array: true })
  events!: string[];

  @Column({ type: 'text', name: 'secret' })
  secret!: string;

  @Column({ type: 'text', name: 'previous_secret', nullable: true })
  previousSecret!: string | null;

  @Column({ type: 'timestamptz', name: 'previous_secret_until', nullable: true })
  previousSecretUntil!: Date | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'deleted_at', nullable: true })
  deletedAt!: Date | null;
}
