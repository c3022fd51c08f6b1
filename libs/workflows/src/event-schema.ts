import { z } from 'zod';
import { type CaseEvent, DECISION_OUTCOMES } from './events.js';

/**
 * The shape of every `CaseEvent`, checked where a command is consumed (the worker's case-commands processor): a
 * command travels through the outbox and Redis as JSON, so its event is data to check, not a type to trust.
 * Unknown fields are kept (a newer gateway may send more than this worker reads); a field this worker reads must
 * have its type. The type check below keeps this schema and the `CaseEvent` union one definition: a field added to
 * one and not the other fails to compile.
 */
const actor = z.string().min(1);
const step = z.string().min(1);

export const caseEventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('SUBMITTED'), actor: actor.optional() }),
  z.looseObject({
    type: z.literal('DECIDED'),
    step,
    outcome: z.enum(DECISION_OUTCOMES),
    actor,
    reasonCode: z.string().optional(),
    missingMaterials: z.array(z.string()).readonly().optional(),
    findings: z.record(z.string(), z.unknown()).readonly().optional(),
    findingsNote: z.string().optional(),
    amountFen: z.number().int().optional(),
    instalments: z.number().int().positive().optional(),
    parts: z
      .record(
        z.string(),
        z.object({ outcome: z.enum(['approve', 'reject']), reasonCode: z.string().optional() }).readonly(),
      )
      .readonly()
      .optional(),
    taskId: z.string().optional(),
  }),
  z.looseObject({ type: z.literal('STEP_STARTED'), step, actor }),
  z.looseObject({
    type: z.literal('SUPPLEMENT_RECEIVED'),
    actor: actor.optional(),
    materials: z.array(z.string()).readonly().optional(),
  }),
  z.looseObject({ type: z.literal('SUPPLEMENT_LAPSED'), actor }),
  z.looseObject({ type: z.literal('WITHDRAWN'), actor: actor.optional(), reason: z.string().optional() }),
  z.looseObject({ type: z.literal('OBJECTION_FILED'), actor: actor.optional(), summary: z.string().optional() }),
  z.looseObject({ type: z.literal('OBJECTION_DECIDED'), upheld: z.boolean(), actor, taskId: z.string().optional() }),
  z.looseObject({ type: z.literal('NOTICE_PERIOD_ENDED'), clock: z.string().optional() }),
  z.looseObject({ type: z.literal('EXTENSION_GRANTED'), reason: z.string(), actor }),
  z.looseObject({
    type: z.literal('PAYMENT_CONFIRMED'),
    instalment: z.number().int().positive(),
    reference: z.string().optional(),
    actor: actor.optional(),
    taskId: z.string().optional(),
  }),
  z.looseObject({
    type: z.literal('PAYMENT_FAILED'),
    instalment: z.number().int().positive(),
    actor,
    reason: z.string().optional(),
    taskId: z.string().optional(),
  }),
  z.looseObject({
    type: z.literal('ALLOCATED'),
    actor,
    reference: z.string().optional(),
    lease: z.string().optional(),
    leaseMonths: z.number().int().positive().optional(),
  }),
  z.looseObject({
    type: z.literal('PAYMENTS_STOPPED'),
    actor,
    entitlementId: z.string().optional(),
    reason: z.string().optional(),
    effectiveMonth: z.string().optional(),
  }),
  z.looseObject({ type: z.literal('CLOCK_BREACHED'), clock: z.string().min(1) }),
]);

type Parsed = z.infer<typeof caseEventSchema>;
/** Both directions: every parsed event is a `CaseEvent` and every `CaseEvent` passes the schema's types. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type StripIndex<T> = T extends unknown ? { [K in keyof T as string extends K ? never : K]: T[K] } : never;
const SCHEMA_MATCHES_CASE_EVENT: Same<StripIndex<Parsed>, CaseEvent> = true;
void SCHEMA_MATCHES_CASE_EVENT;
