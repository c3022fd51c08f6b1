import { ApplicantRecord } from './applicant.record.js';
import { CaseRecord } from './case.record.js';
import { IdempotencyKeyRecord } from './idempotency-key.record.js';
import { PortalApiKeyRecord } from './portal-api-key.record.js';
import { PortalRecord } from './portal.record.js';

/** The records of intake: portals and their keys, applicants, cases and idempotency keys. */
export const INTAKE_RECORDS = [
  PortalRecord,
  PortalApiKeyRecord,
  ApplicantRecord,
  CaseRecord,
  IdempotencyKeyRecord,
] as const;
