import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { PortalRecord } from './portal.record.js';

/** A portal's API key `msk_<prefix>_<secret>`: the prefix is public and looked up, the key is kept only as a hash. */
@Entity({ name: 'portal_api_keys' })
@Unique('UQ_portal_api_keys_prefix', ['prefix'])
export class PortalApiKeyRecord {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'PK_portal_api_keys' })
  id!: string;

  @Column({ type: 'uuid', name: 'portal_id' })
  portalId!: string;

  @ManyToOne(() => PortalRecord, { nullable: false })
  @JoinColumn({ name: 'portal_id', foreignKeyConstraintName: 'FK_portal_api_keys_portal' })
  portal?: Relation<PortalRecord>;

  @Column({ type: 'text', name: 'prefix' })
  prefix!: string;

  @Column({ type: 'text', name: 'key_hash' })
  keyHash!: string;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
