import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { type Queue } from 'bullmq';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { OutboxRelay } from '../../../apps/worker/src/outbox/outbox-relay.js';
import { commandJobId, QUEUES, writeOutbox } from '../../../libs/infra/src/index.js';
import { eventually } from '../../support/given.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

/**
 * The relay claims due rows with FOR UPDATE SKIP LOCKED in a transaction of two round trips (round trips are the cost:
 * docs/architecture.md "Where the time goes"): rows go to their queue once, unrouted kinds and rows not yet due stay,
 * and relays running at once never send a row twice.
 */
describe('outbox relay', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    env = await createTestEnvironment('outbox-relay', { HEARTBEAT_EVERY_MS: '60000' });
    worker = await createWorker(env.config);
  });
  afterAll(async () => {
    await worker?.close();
    await env?.teardown();
  });

  it('sends each due routed row once, even with several relays at once, and leaves the others', async () => {
    const commands = Array.from({ length: 20 }, () => ({ caseId: randomUUID(), commandId: randomUUID() }));
    await writeOutbox(
      env.db,
      commands.map((c) => ({
        kind: 'case.command' as const,
        caseId: null,
        payload: { ...c, event: { type: 'SUBMITTED' }, actor: 'system:test' },
      })),
    );
    const later = randomUUID();
    await writeOutbox(env.db, [
      {
        kind: 'case.command',
        caseId: null,
        payload: { caseId: randomUUID(), commandId: later, event: { type: 'SUBMITTED' }, actor: 'system:test' },
        availableAt: new Date(Date.now() + 3_600_000),
      },
    ]);
    await env.db.query(`INSERT INTO outbox (kind, payload) VALUES ('not.routed', '{}')`);

    // Three rounds at once, besides the relay's own loop: SKIP LOCKED gives each row to one of them.
    const relay = worker.get(OutboxRelay);
    await Promise.all([relay.relayOnce(), relay.relayOnce(), relay.relayOnce()]);
    const ids = commands.map((c) => c.commandId);
    const { rows } = await eventually(async () => {
      const result = await env.db.query<{ attempts: number; sent_at: Date | null }>(
        `SELECT attempts, sent_at FROM outbox WHERE payload->>'commandId' = ANY($1)`,
        [ids],
      );
      return result.rows.every((r) => r.sent_at !== null) && result;
    });
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    const queue = worker.get<Queue>(getQueueToken(QUEUES.caseCommands));
    for (const c of commands) expect(await queue.getJob(commandJobId(c.commandId))).toBeDefined();

    const { rows: waiting } = await env.db.query(
      `SELECT kind, sent_at FROM outbox WHERE kind = 'not.routed' OR payload->>'commandId' = $1 ORDER BY kind`,
      [later],
    );
    expect(waiting).toEqual([
      { kind: 'case.command', sent_at: null },
      { kind: 'not.routed', sent_at: null },
    ]);
    expect(await queue.getJob(commandJobId(later))).toBeUndefined();
  });
});
