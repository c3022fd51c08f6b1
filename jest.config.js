// Jest 30 on Node 20 runs this ESM project with `node --experimental-vm-modules` and ts-jest's ESM mode.
// Three tiers share one transform: unit (`*.spec.ts`, no services), integration (`*.int-spec.ts`, real
// PostgreSQL and Redis, one database schema or BullMQ prefix per file) and end to end (`*.e2e-spec.ts`).
const esmOnlyRequiredFromCjs = ['cookie', 'content-disposition'];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@minsheng/domain$': '<rootDir>/libs/domain/src/index.ts',
    '^@minsheng/workflows$': '<rootDir>/libs/workflows/src/index.ts',
    '^@minsheng/infra$': '<rootDir>/libs/infra/src/index.ts',
    '^@minsheng/client$': '<rootDir>/libs/client/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
    // Fastify's CommonJS plugins require these ESM-only packages; Jest on Node 20 cannot require ESM, so they are
    // compiled to CommonJS for the tests (plain Node loads them natively).
    [`/node_modules/(${esmOnlyRequiredFromCjs.join('|')})/.+\\.js$`]: [
      'ts-jest',
      {
        useESM: false,
        tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', isolatedModules: true },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyRequiredFromCjs.join('|')})/)`],
  testEnvironment: 'node',
  rootDir: '.',
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      setupFilesAfterEnv: [
        '<rootDir>/test/support/integration-timeout.ts',
        '<rootDir>/test/support/documented-fetch.ts',
      ],
      testMatch: ['<rootDir>/apps/**/*.int-spec.ts', '<rootDir>/test/integration/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
    {
      ...common,
      displayName: 'e2e',
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts', '<rootDir>/test/support/documented-fetch.ts'],
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
  ],
};
