import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { CaseEngine } from '../../../apps/worker/src/engine/case-engine.js';
import { PublishedCalendarCache } from '../../../apps/worker/src/calendars/published-calendar-cache.js';
import { PiiCipher, PublishedParameters, writeCaseNote, type CaseCommand } from '../../../libs/infra/src/index.js';
import { given } from '../../support/given.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { publishTestYear } from '../../support/test-calendars.js';

/**
 * The engine's step in round trips (bench/profiles/engine.md "The step in one write statement"): every statement the
 * engine sends on its own connection for a step, named by what it does, so one more statement fails here. Counted on
 * an engine of the worker's parts whose connections are watched; the worker's relay and timers use others.
 */
describe('engine step: statements per step', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let the: ReturnType<typeof given>;
  let engine: CaseEngine;
  const statements: string[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment('engine-step-statements', { HEARTBEAT_EVERY_MS: '60000' });
    the = given(env.db, env.clock);
    await publishTestYear(env.db, 2027);
    worker = await createWorker(env.config);
    const dataSource = worker.get(DataSource);
    // The engine's only way to the database is createQueryRunner: a client counts while one of its runners holds
    // it (pooled clients also serve the worker's relay, before and after).
    const watchedClients = new WeakSet<PoolClient>();
    const heldByEngine = new WeakSet<PoolClient>();
    const watched = {
      createQueryRunner: () => {
        const runner = dataSource.createQueryRunner();
        const connect = runner.connect.bind(runner);
        const release = runner.release.bind(runner);
        let held: PoolClient | undefined;
        runner.connect = async () => {
          const client = (await connect()) as PoolClient;
          held = client;
          heldByEngine.add(client);
          if (watchedClients.has(client)) return client;
          watchedClients.add(client);
          const query = client.query.bind(client) as (...args: unknown[]) => unknown;
          (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
            if (heldByEngine.has(client)) {
              const config = args[0] as string | { text: string };
              statements.push(typeof config === 'string' ? config : config.text);
            }
            return query(...args);
          };
          return client;
        };
        runner.release = async () => {
          if (held !== undefined) heldByEngine.delete(held);
          return release();
        };
        return runner;
      },
    } as unknown as DataSource;
    engine = new CaseEngine(
      watched,
      worker.get(PublishedCalendarCache),
      worker.get(PublishedParameters),
      env.clock,
      worker.get(PiiCipher),
    );
  });
  afterAll(async () => {
    await worker?.close();
    await env?.teardown();
  });

  /** What each statement does, from its text (the order is the step's). */
  const named = (texts: readonly string[]) =>
    texts.map((text) => {
      const sql = text.replace(/\s+/g, ' ').trim();
      // The lock with the step's reads (tasks, decision request, clocks, findings note) after it, in one round trip.
      if (/FOR UPDATE OF c; SELECT .* AS clocks, \(SELECT n\.body_encrypted .* AS findings_note$/.test(sql)) {
        return 'lock';
      }
      if (/^COMMIT$/.test(sql)) return 'commit';
      if (/^WITH step_case AS \(/.test(sql)) return 'tasks';
      if (/^INSERT INTO case_clocks/.test(sql)) return 'start clock';
      if (/^WITH stopped AS \( UPDATE case_clocks/.test(sql)) return 'stop clock';
      if (/^WITH c AS \( UPDATE cases SET snapshot/.test(sql)) return 'step';
      return sql.slice(0, 60);
    });

  const submitted = async (): Promise<CaseCommand> => {
    const { caseId, commandId } = await the.submittedCase({ withoutCommand: true });
    return { caseId, commandId, event: { type: 'SUBMITTED' }, actor: 'portal:test' };
  };

  it('applies a lone step in its lock, its writes and its COMMIT', async () => {
    const command = await submitted();
    statements.length = 0;
    await expect(engine.apply(command)).resolves.toMatchObject({ outcome: 'applied' });
    // The snapshot, events, outbox rows, the portal's deliveries and the acceptance task opened: one statement.
    expect(named(statements)).toEqual(['lock', 'step', 'commit']);

    statements.length = 0;
    const accepted: CaseCommand = {
      caseId: command.caseId,
      commandId: randomUUID(),
      event: { type: 'DECIDED', step: 'acceptance', outcome: 'approve', actor: 'staff:r1' },
      actor: 'staff:r1',
    };
    await expect(engine.apply(accepted)).resolves.toMatchObject({ outcome: 'applied' });
    // Two clocks started (each its own statement, see the profile), the step with its task closed and opened.
    expect(named(statements)).toEqual(['lock', 'start clock', 'start clock', 'step', 'commit']);

    // A decision whose findings travel as a case note: the note is read with the lock, and used.
    const findings = { homeVisitDate: '2026-06-03', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 25_000 };
    const note = await writeCaseNote(env.db, worker.get(PiiCipher), {
      caseId: command.caseId,
      kind: 'findings',
      body: findings,
      at: env.clock.now(),
    });
    statements.length = 0;
    const investigated: CaseCommand = {
      caseId: command.caseId,
      commandId: randomUUID(),
      event: { type: 'DECIDED', step: 'investigation', outcome: 'approve', actor: 'staff:r1', findingsNote: note },
      actor: 'staff:r1',
    };
    await expect(engine.apply(investigated)).resolves.toMatchObject({ outcome: 'applied' });
    expect(named(statements).filter((name) => name !== 'start clock' && name !== 'stop clock')).toEqual([
      'lock',
      'step',
      'commit',
    ]);
    const { rows } = await env.db.query(
      `SELECT facts -> 'findings' -> 'investigation' AS found FROM cases WHERE id = $1`,
      [command.caseId],
    );
    expect(rows[0].found).toEqual(findings);
  });

  it('applies a batch with BEGIN in its first lock, the writes per step, and one COMMIT', async () => {
    const commands = (await Promise.all([submitted(), submitted(), submitted()])).sort((a, b) =>
      a.caseId < b.caseId ? -1 : 1,
    );
    statements.length = 0;
    const results = await engine.applyTogether(commands);
    expect(results).toEqual(commands.map(() => ({ outcome: expect.objectContaining({ outcome: 'applied' }) })));
    const perStep = ['lock', 'step'];
    expect(named(statements)).toEqual([...perStep, ...perStep, ...perStep, 'commit']);
    expect(statements[0]).toMatch(/^BEGIN; SAVEPOINT step; /);
  });
});
