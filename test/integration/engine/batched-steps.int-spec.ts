import { randomUUID } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { CaseEngine, UnknownCaseError } from '../../../apps/worker/src/engine/case-engine.js';
import { CaseCommandBatcher } from '../../../apps/worker/src/engine/case-command-batcher.js';
import { verifyChain, type CaseCommand, type StoredEventRow } from '../../../libs/infra/src/index.js';
import { given } from '../../support/given.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { publishTestYear } from '../../support/test-calendars.js';

/**
 * Issue 22: the engine's group commit. Commands for different cases go in one transaction, each step in its own
 * savepoint; a failing step is undone and run again alone, the others stay; two commands of one case never share a
 * batch; a batch run twice applies once.
 */
describe('engine: group commit', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let the: ReturnType<typeof given>;

  beforeAll(async () => {
    env = await createTestEnvironment('engine-group-commit', { HEARTBEAT_EVERY_MS: '60000' });
    the = given(env.db, env.clock);
    await publishTestYear(env.db, 2027);
    worker = await createWorker(env.config);
  });
  afterAll(async () => {
    await worker?.close();
    await env?.teardown();
  });

  const events = async (caseId: string) =>
    (await env.db.query<StoredEventRow>(`SELECT * FROM case_events WHERE case_id = $1 ORDER BY seq`, [caseId])).rows;
  const caseRow = async (caseId: string) =>
    (await env.db.query(`SELECT status, version FROM cases WHERE id = $1`, [caseId])).rows[0];
  /** Cases intake wrote whose SUBMITTED command the test applies itself (no outbox row for the relay). */
  const submittedCases = async (n: number): Promise<CaseCommand[]> =>
    (await Promise.all(Array.from({ length: n }, () => the.submittedCase({ withoutCommand: true })))).map(
      ({ caseId, commandId }) => ({ caseId, commandId, event: { type: 'SUBMITTED' }, actor: 'portal:test' }),
    );
  const byCaseId = (commands: CaseCommand[]) => [...commands].sort((a, b) => (a.caseId < b.caseId ? -1 : 1));

  it('applies commands of different cases in one transaction, each chained on its own case, and once only', async () => {
    const commands = byCaseId(await submittedCases(4));
    const engine = worker.get(CaseEngine);
    const results = await engine.applyTogether(commands);
    expect(results).toEqual(commands.map(() => ({ outcome: expect.objectContaining({ outcome: 'applied' }) })));
    for (const { caseId, commandId } of commands) {
      const log = await events(caseId);
      expect(verifyChain(log)).toEqual({ ok: true, events: log.length });
      expect(log.map((e) => e.id)).toContain(commandId);
      expect((await caseRow(caseId)).status).toBe('in-review');
    }
    // The same batch again (jobs taken twice after a crash): every step finds its event and writes nothing.
    const again = await engine.applyTogether(commands);
    expect(again).toEqual(commands.map(() => ({ outcome: { outcome: 'skipped', reason: 'already-applied' } })));
  });

  it('undoes only the failing step of a batch; the others commit', async () => {
    const [first, second] = await submittedCases(2);
    const missing: CaseCommand = {
      caseId: randomUUID(),
      commandId: randomUUID(),
      event: { type: 'SUBMITTED' },
      actor: 'portal:test',
    };
    // A refused command is an outcome, written with the batch: a submitted case takes no approval decision.
    const refusedCase = (await submittedCases(1))[0]!;
    const refused: CaseCommand = {
      ...refusedCase,
      event: { type: 'DECIDED', step: 'approval', outcome: 'approve', actor: 'staff:r1' },
    };
    const commands = byCaseId([first!, second!, missing, refused]);
    const results = await worker.get(CaseEngine).applyTogether(commands);
    const resultOf = (command: CaseCommand) => results[commands.indexOf(command)]!;
    expect(resultOf(missing)).toEqual({ error: expect.any(UnknownCaseError) });
    expect(resultOf(first!)).toEqual({ outcome: expect.objectContaining({ outcome: 'applied' }) });
    expect(resultOf(second!)).toEqual({ outcome: expect.objectContaining({ outcome: 'applied' }) });
    expect(resultOf(refused)).toEqual({ outcome: expect.objectContaining({ outcome: 'refused' }) });
    expect((await events(refused.caseId)).map((e) => e.type)).toEqual(['APPLICATION_SUBMITTED', 'COMMAND_REFUSED']);
    expect(await env.db.query(`SELECT 1 FROM case_events WHERE id = $1`, [missing.commandId])).toMatchObject({
      rowCount: 0,
    });
  });

  it('answers each job of a batch on its own: a failing one alone fails, run again alone', async () => {
    const batcher = worker.get(CaseCommandBatcher);
    const commands = await submittedCases(5);
    const missing: CaseCommand = {
      caseId: randomUUID(),
      commandId: randomUUID(),
      event: { type: 'SUBMITTED' },
      actor: 'portal:test',
    };
    const all = [...commands, missing];
    const settled = await Promise.allSettled(all.map((command) => batcher.submit(command)));
    expect(settled.at(-1)).toEqual({ status: 'rejected', reason: expect.any(UnknownCaseError) });
    expect(settled.slice(0, -1)).toEqual(
      commands.map(() => ({ status: 'fulfilled', value: expect.objectContaining({ outcome: 'applied' }) })),
    );
    for (const { caseId } of commands) expect((await caseRow(caseId)).status).toBe('in-review');
  });

  it('applies two commands of one case held at once in arrival order, never in one batch', async () => {
    const batcher = worker.get(CaseCommandBatcher);
    const [submitted] = await submittedCases(1);
    const others = await submittedCases(3);
    const accept: CaseCommand = {
      caseId: submitted!.caseId,
      commandId: randomUUID(),
      event: { type: 'DECIDED', step: 'acceptance', outcome: 'approve', actor: 'staff:r1' },
      actor: 'staff:r1',
    };
    const outcomes = await Promise.all([submitted!, ...others, accept].map((command) => batcher.submit(command)));
    expect(outcomes.map((o) => o.outcome)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    const log = await events(submitted!.caseId);
    expect(verifyChain(log).ok).toBe(true);
    const ids = log.map((e) => e.id);
    expect(ids.indexOf(submitted!.commandId)).toBeLessThan(ids.indexOf(accept.commandId));
  });
});
