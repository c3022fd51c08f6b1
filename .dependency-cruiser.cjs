/**
 * Dependencies point one way: apps → libs/workflows → libs/domain. The pure libs import no framework, database
 * or queue package, and nothing anywhere forms a cycle (conventions.md §1).
 */
const frameworks =
  '(^|/)node_modules/(@nestjs/|typeorm/|bullmq/|pg/|pg-[a-z]+/|ioredis/|fastify/|@fastify/|nestjs-pino/|pino/|pino-http/)';
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means a missing third module or an event, not a forwardRef.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'libs/domain is plain TypeScript: no framework, ORM, queue or driver.',
      from: { path: '^libs/domain/' },
      to: { path: frameworks },
    },
    {
      name: 'domain-depends-on-nothing-of-ours',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: '^(libs/(workflows|infra)|apps)/' },
    },
    {
      name: 'workflows-are-pure',
      severity: 'error',
      comment: 'Machines are pure: they may use xstate and libs/domain only.',
      from: { path: '^libs/workflows/' },
      to: { path: [frameworks, '^(libs/infra|apps)/'] },
    },
    {
      name: 'queue-contract-is-pure',
      severity: 'error',
      comment:
        'What crosses processes (queues, job ids, outbox kinds and routes, payloads) is plain TypeScript that any ' +
        'process or tool can import: no framework, queue or database package.',
      from: { path: '^libs/infra/src/queue/queue-contract\\.ts$' },
      to: { path: [frameworks, '^(libs/infra/src/(?!queue/queue-contract)|apps/)'] },
    },
    {
      name: 'client-stands-alone',
      severity: 'error',
      comment: 'libs/client is what other teams use: the generated types and openapi-fetch, nothing of the server.',
      from: { path: '^libs/client/' },
      to: { path: [frameworks, '^(libs/(domain|workflows|infra)|apps)/'] },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      comment: 'Libraries sit below everything else: not the apps, nor the root migrations, scripts, bench or tests.',
      from: { path: '^libs/' },
      to: { path: '^(apps|migrations|scripts|bench|test)/' },
    },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      from: { path: '^apps/gateway/' },
      to: { path: '^apps/worker/' },
    },
    {
      name: 'console-calls-the-api-only',
      severity: 'error',
      comment: 'The console is a browser app: it reaches the server through the typed client, never its code.',
      from: { path: '^apps/console/' },
      to: { path: [frameworks, '^(libs/(domain|workflows|infra)|apps/(gateway|worker))/'] },
    },
    {
      name: 'server-does-not-import-console',
      severity: 'error',
      from: { path: '^(apps/(gateway|worker)|libs)/' },
      to: { path: '^apps/console/' },
    },
    {
      name: 'worker-does-not-import-gateway',
      severity: 'error',
      from: { path: '^apps/worker/' },
      to: { path: '^apps/gateway/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.spec\\.ts$|\\.int-spec\\.ts$|\\.e2e-spec\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
