// Type-aware lint: the rules below catch the bugs this kind of system has (an unawaited enqueue, a promise passed
// where a callback is expected, a switch over a state that forgot a case, a focused test that hides the rest).
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';

// Business time comes from the injected Clock (docs/time.md); infrastructure time (throttles, heartbeats, cookie
// expiry, lateness metrics) may read the wall, each place saying so with an eslint-disable comment.
const WALL_CLOCK = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Business time comes from the Clock (InjectClock / clock.now()), not the wall: docs/time.md.',
  },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Business time comes from the Clock (InjectClock / clock.now()), not the wall: docs/time.md.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through loadConfig (libs/infra) once at boot.',
        },
        ...WALL_CLOCK,
      ],
    },
  },
  {
    // Only boot code and test support may read the environment.
    files: [
      'libs/infra/src/config/**',
      'migrations/data-source.ts',
      'apps/*/src/main.ts',
      'scripts/**',
      'test/**',
      'bench/**',
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    plugins: { jest },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/no-identical-title': 'error',
      // Every test asserts something that could fail: `expect`, a helper of ours that calls it, or a property (fc.assert).
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'assert*', 'fc.assert'] }],
    },
  },
);
