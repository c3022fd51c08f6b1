import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last heartbeat each worker process wrote: proves queue → worker → database wiring end to end. */
@Entity({ name: 'worker_heartbeats' })
export class WorkerHeartbeatRecord {
  @PrimaryColumn({ type: 'text', name: 'worker_id' })
  workerId!: string;

  @Column({ type: 'timestamptz', name: 'beat_at' })
  beatAt!: Date;

  @Column({ type: 'integer', name: 'beats', default: 0 })
  beats!: number;

  @Column({ type: 'text', name: 'job_id' })
  jobId!: string;
}
