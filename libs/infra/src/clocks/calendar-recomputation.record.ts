import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * The recomputation of running clocks after one calendar version was published (docs/calendars.md): written with
 * the calendar row, advanced batch by batch by the worker, read by operators. `after_clock_id` is the keyset cursor
 * (the last clock id of the last committed batch), so a killed worker's job resumes where it stopped.
 */
@Entity({ name: 'calendar_recomputations' })
@Unique('UQ_calendar_recomputations_version', ['region', 'year', 'version'])
@Check('CHK_calendar_recomputations_state', `"state" IN ('queued', 'running', 'done')`)
export class CalendarRecomputationRecord {
  @PrimaryGeneratedColumn({ type: 'bigint', name: 'id', primaryKeyConstraintName: 'PK_calendar_recomputations' })
  id!: string;

  @Column({ type: 'text', name: 'region' })
  region!: string;

  @Column({ type: 'integer', name: 'year' })
  year!: number;

  @Column({ type: 'integer', name: 'version' })
  version!: number;

  @Column({ type: 'text', name: 'state', default: 'queued' })
  state!: 'queued' | 'running' | 'done';

  /** Candidate clocks when the worker started; null until then. */
  @Column({ type: 'integer', name: 'total', nullable: true })
  total!: number | null;

  /** Candidate clocks looked at so far (committed batches). */
  @Column({ type: 'integer', name: 'done', default: 0 })
  done!: number;

  /** Clocks whose due date or provisional mark moved. */
  @Column({ type: 'integer', name: 'changed', default: 0 })
  changed!: number;

  /** Clocks whose new count still needs an unpublished calendar. */
  @Column({ type: 'integer', name: 'failed', default: 0 })
  failed!: number;

  @Column({ type: 'integer', name: 'batches', default: 0 })
  batches!: number;

  @Column({ type: 'uuid', name: 'after_clock_id', nullable: true })
  afterClockId!: string | null;

  @Column({ type: 'text', name: 'requested_by' })
  requestedBy!: string;

  @Column({ type: 'text', name: 'request_id', nullable: true })
  requestId!: string | null;

  @Column({ type: 'timestamptz', name: 'requested_at' })
  requestedAt!: Date;

  @Column({ type: 'timestamptz', name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}
