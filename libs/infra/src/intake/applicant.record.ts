import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A person who applied. The resident ID number and the name are stored only encrypted (AES-256-GCM); the number
 * is found by its keyed hash (HMAC-SHA256), never by the number itself.
 */
@Entity({ name: 'applicants' })
@Unique('UQ_applicants_id_number_hash', ['idNumberHash'])
export class ApplicantRecord {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'PK_applicants' })
  id!: string;

  @Column({ type: 'text', name: 'id_number_hash' })
  idNumberHash!: string;

  @Column({ type: 'text', name: 'id_number_encrypted' })
  idNumberEncrypted!: string;

  @Column({ type: 'text', name: 'name_encrypted' })
  nameEncrypted!: string;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}
