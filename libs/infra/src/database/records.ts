import { WorkerHeartbeatRecord } from './worker-heartbeat.record.js';

/** Every TypeORM record, listed explicitly (no globs): the migration check compares exactly these with the schema. */
export const RECORDS = [WorkerHeartbeatRecord] as const;
