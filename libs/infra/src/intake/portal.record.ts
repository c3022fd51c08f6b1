import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** An integrated government-service portal (machine client) that submits applications and follows its cases. */
@Entity({ name: 'portals' })
@Unique('UQ_portals_name', ['name'])
export class PortalRecord {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'PK_portals' })
  id!: string;

  @Column({ type: 'text', name: 'name' })
  name!: string;

  /** Item codes this portal may submit; empty means none. */
  @Column({ type: 'text', name: 'allowed_items', array: true, default: () => "'{}'" })
  allowedItems!: string[];

  @Column({ type: 'integer', name: 'rate_limit_per_minute', default: 600 })
  rateLimitPerMinute!: number;

  @Column({ type: 'text', name: 'webhook_url', nullable: true })
  webhookUrl!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'disabled_at', nullable: true })
  disabledAt!: Date | null;
}
