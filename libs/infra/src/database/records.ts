import { AuditLogRecord } from '../audit/audit-log.record.js';
import { CATALOG_RECORDS } from '../catalog/catalog-records.js';
import { CLOCK_RECORDS } from '../clocks/clock-records.js';
import { ENGINE_RECORDS } from '../engine/engine-records.js';
import { INTAKE_RECORDS } from '../intake/intake-records.js';
import { WEBHOOK_RECORDS } from '../webhooks/webhook-records.js';
import { WorkerHeartbeatRecord } from './worker-heartbeat.record.js';

/** Every TypeORM record, listed explicitly (no globs): the migration check compares exactly these with the schema. */
export const RECORDS = [
  WorkerHeartbeatRecord,
  AuditLogRecord,
  ...CATALOG_RECORDS,
  ...INTAKE_RECORDS,
  ...ENGINE_RECORDS,
  ...CLOCK_RECORDS,
  ...WEBHOOK_RECORDS,
] as const;
