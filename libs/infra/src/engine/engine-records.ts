import { CaseEventRecord } from './case-event.record.js';
import { OutboxRecord } from './outbox.record.js';
import { TaskRecord } from './task.record.js';

/** The records of the engine: the case event log, the outbox and reviewer tasks. */
export const ENGINE_RECORDS = [CaseEventRecord, OutboxRecord, TaskRecord] as const;
