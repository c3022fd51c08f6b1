// Where a test file's set-up time goes: the phases of createTestEnvironment and a gateway's boot, timed
// one after another for a few rounds, after the Jest run's own global set-up (so TEST_POSTGRES=embedded and
// TEST_QUEUE_BACKEND mean what they mean for Jest, docs/development.md "Tests without services"). The gateway comes
// from the build (`npm run build`): tsx emits no decorator metadata.
//   TEST_POSTGRES=embedded TEST_QUEUE_BACKEND=postgres node --import tsx test/support/time-setup.ts [rounds]
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type INestApplication } from '@nestjs/common';
import { QUEUES } from '../../libs/infra/src/index.js';
import { givenPortal } from '../integration/intake/intake-fixtures.js';
import { listen } from './http.js';

const globalSetup = './global-setup.mjs';
const globalTeardown = './global-teardown.mjs';
await ((await import(globalSetup)) as { default: () => Promise<void> }).default();
// Imported after the global set-up: test-database.ts reads the variables it sets when it loads.
const { createTestEnvironment } = await import('./test-environment.js');
const rounds = Number(process.argv[2] ?? 3);
const gatewayModule = '../../dist/apps/gateway/src/gateway.js';
const { createGateway } = (await import(gatewayModule)) as {
  createGateway(config: unknown): Promise<INestApplication>;
};
const times = new Map<string, number[]>();
let since = 0;
const mark = (phase: string) => {
  times.set(phase, [...(times.get(phase) ?? []), performance.now() - since]);
  since = performance.now();
};

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`load average at start: ${load()}`);
for (let round = 0; round < rounds; round++) {
  since = performance.now();
  const env = await createTestEnvironment('time setup');
  mark('createTestEnvironment');
  await env.queue(QUEUES.webhooks).waitUntilReady();
  mark('first queue ready');
  const app = await createGateway(env.config);
  await listen(app);
  mark('gateway boot + listen');
  await givenPortal(env);
  mark('portal');
  await app.close();
  await env.teardown();
  mark('teardown');
}
for (const [phase, list] of times) {
  const median = [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  console.log(`${phase.padEnd(24)} median ${median.toFixed(0)} ms (${list.map((v) => v.toFixed(0)).join(', ')})`);
}
console.log(`load average at end: ${load()}`);
await ((await import(globalTeardown)) as { default: () => Promise<void> }).default();
process.exit(0);
