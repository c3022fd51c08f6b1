import { type INestApplicationContext } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { createWorker } from '../../../apps/worker/src/worker.js';
import { listen } from '../../support/http.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';
import { givenPortal } from '../intake/intake-fixtures.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WALKTHROUGH = readFileSync(new URL('../../../docs/api-walkthrough.md', import.meta.url), 'utf8');

/**
 * The doc's shell blocks as one bash script, as a newcomer pastes them: everything but `npm start` (the test runs
 * the gateway and the worker itself), with the base URL and the portal key the doc asks to fill in substituted.
 */
function walkthroughScript(base: string, apiKey: string): string {
  const blocks = [...WALKTHROUGH.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const script = blocks
    .filter((block) => block.trim() !== 'npm start')
    .join('\n')
    .replace(/^BASE=.*$/m, `BASE=${base}`)
    .replace(/^KEY=.*$/m, `KEY=${apiKey}`);
  if (!script.includes(`KEY=${apiKey}`) || !script.includes(`BASE=${base}`)) {
    throw new Error('docs/api-walkthrough.md no longer sets BASE and KEY in its own lines');
  }
  return script;
}

describe('docs/api-walkthrough.md, pasted as written', () => {
  let env: TestEnvironment;
  let gateway: NestFastifyApplication;
  let worker: INestApplicationContext;
  let base: string;

  beforeAll(async () => {
    env = await createTestEnvironment('api walkthrough', { HEARTBEAT_EVERY_MS: '60000' });
    worker = await createWorker(env.config);
    gateway = await createGateway(env.config);
    base = await listen(gateway);
  });
  afterAll(async () => {
    await gateway?.close();
    await worker?.close();
    await env?.teardown();
  });

  it('submits a case, and two street reviewers decide its acceptance and investigation', async () => {
    const portal = await givenPortal(env, { items: ['BPS-064'] });
    const { stdout } = await promisify(execFile)(
      'bash',
      ['-euo', 'pipefail', '-c', walkthroughScript(base, portal.apiKey)],
      {
        cwd: ROOT,
        env: { ...process.env, ...env.env },
        timeout: 90_000,
      },
    );

    const caseId = /^case ([0-9a-f-]{36})$/m.exec(stdout)?.[1];
    expect(caseId).toBeDefined();
    const { rows: tasks } = await env.db.query(
      `SELECT step, decided_by, closed_at IS NOT NULL AS closed FROM tasks WHERE case_id = $1 ORDER BY opened_at`,
      [caseId],
    );
    expect(tasks).toEqual([
      { step: 'acceptance', decided_by: 'staff:street-reviewer-a', closed: true },
      { step: 'investigation', decided_by: 'staff:street-reviewer-b', closed: true },
      { step: 'street-review', decided_by: null, closed: false },
    ]);
    // What the portal read at the end: its case at the street review, and the timeline with both decisions.
    expect(stdout).toMatch(/"currentSteps": \[\s*"street-review"\s*\]/);
    expect(stdout.split('\n').filter((line) => line === 'DECISION_SUBMITTED')).toHaveLength(2);
  }, 120_000);
});
