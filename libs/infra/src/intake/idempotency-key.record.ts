import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A portal's `Idempotency-Key` and the first answer given to it. A row without a response is a request still in
 * progress (or one that crashed: it is taken over after a grace period).
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyRecord {
  @PrimaryColumn({ type: 'uuid', name: 'portal_id', primaryKeyConstraintName: 'PK_idempotency_keys' })
  portalId!: string;

  @PrimaryColumn({ type: 'text', name: 'key', primaryKeyConstraintName: 'PK_idempotency_keys' })
  key!: string;

  /** Keyed hash of the method, path and canonical JSON body. */
  @Column({ type: 'text', name: 'request_hash' })
  requestHash!: string;

  @Column({ type: 'integer', name: 'response_status', nullable: true })
  responseStatus!: number | null;

  @Column({ type: 'jsonb', name: 'response_body', nullable: true })
  responseBody!: unknown;

  @Column({ type: 'uuid', name: 'case_id', nullable: true })
  caseId!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}
