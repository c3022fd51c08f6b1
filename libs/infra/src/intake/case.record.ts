import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { ApplicantRecord } from './applicant.record.js';
import { PortalRecord } from './portal.record.js';

/**
 * A case: one application of one applicant for one item, run by the machine `machine_id@machine_version`.
 * `application_encrypted` holds the whole application (personal data); `facts` only what the procedure needs and
 * nothing personal. The hot paths (intake, engine) write it with plain SQL; this record is for reads and the
 * migration check.
 */
@Entity({ name: 'cases' })
@Unique('UQ_cases_tracking_number', ['trackingNumber'])
// One open case per applicant per item (the intake rule), enforced by the database.
@Index('UQ_cases_open_per_applicant_item', ['applicantId', 'itemCode'], { unique: true, where: '"closed_at" IS NULL' })
@Index('UQ_cases_portal_reference', ['portalId', 'portalReference'], {
  unique: true,
  where: '"portal_reference" IS NOT NULL',
})
@Index('IDX_cases_office_status', ['departmentCode', 'acceptingDivision', 'status'])
export class CaseRecord {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'PK_cases' })
  id!: string;

  @Column({ type: 'text', name: 'tracking_number' })
  trackingNumber!: string;

  @Column({ type: 'text', name: 'item_code' })
  itemCode!: string;

  @Column({ type: 'text', name: 'procedure_id' })
  procedureId!: string;

  @Column({ type: 'text', name: 'machine_id' })
  machineId!: string;

  @Column({ type: 'integer', name: 'machine_version' })
  machineVersion!: number;

  @Column({ type: 'jsonb', name: 'snapshot', nullable: true })
  snapshot!: unknown;

  @Column({ type: 'text', name: 'status' })
  status!: string;

  @Column({ type: 'text', name: 'current_steps', array: true, default: () => "'{}'" })
  currentSteps!: string[];

  @Column({ type: 'uuid', name: 'applicant_id' })
  applicantId!: string;

  @ManyToOne(() => ApplicantRecord, { nullable: false })
  @JoinColumn({ name: 'applicant_id', foreignKeyConstraintName: 'FK_cases_applicant' })
  applicant?: Relation<ApplicantRecord>;

  @Column({ type: 'uuid', name: 'portal_id', nullable: true })
  portalId!: string | null;

  @ManyToOne(() => PortalRecord, { nullable: true })
  @JoinColumn({ name: 'portal_id', foreignKeyConstraintName: 'FK_cases_portal' })
  portal?: Relation<PortalRecord> | null;

  @Column({ type: 'text', name: 'portal_reference', nullable: true })
  portalReference!: string | null;

  @Column({ type: 'text', name: 'department_code' })
  departmentCode!: string;

  @Column({ type: 'text', name: 'accepting_division' })
  acceptingDivision!: string;

  @Column({ type: 'text', name: 'approving_division' })
  approvingDivision!: string;

  @Column({ type: 'text', name: 'application_encrypted' })
  applicationEncrypted!: string;

  @Column({ type: 'jsonb', name: 'facts', default: () => "'{}'" })
  facts!: Record<string, unknown>;

  @Column({ type: 'jsonb', name: 'entitlement', nullable: true })
  entitlement!: unknown;

  @Column({ type: 'integer', name: 'version', default: 0 })
  version!: number;

  @Column({ type: 'integer', name: 'last_event_seq', default: 0 })
  lastEventSeq!: number;

  @Column({ type: 'text', name: 'last_event_hash', nullable: true })
  lastEventHash!: string | null;

  @Column({ type: 'timestamptz', name: 'submitted_at', default: () => 'now()' })
  submittedAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true })
  closedAt!: Date | null;
}
