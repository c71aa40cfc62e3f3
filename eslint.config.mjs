// typescript-eslint with the type information of tsconfig.json: promises are awaited or
// explicitly voided everywhere, and workflow code (src/workflows) stays deterministic: no clocks,
// random numbers, timers or Node modules, and nothing but types imported from outside the
// workflows folder and src/contracts (pure data and functions workflow code shares).
import tseslint from 'typescript-eslint';

const WORKFLOW_NONDETERMINISM =
  'workflow code must be deterministic: use the workflow API (sleep, workflowInfo, uuid4)';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.tools/',
      'out/',
      'tests/artifacts/',
      'tests/fixtures/',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    // directives for rules this config does not enable (no-console, no-require-imports) stay harmless
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: WORKFLOW_NONDETERMINISM },
        { object: 'Math', property: 'random', message: WORKFLOW_NONDETERMINISM },
        { object: 'process', message: WORKFLOW_NONDETERMINISM },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'setTimeout',
          'setInterval',
          'setImmediate',
          'clearTimeout',
          'clearInterval',
          'queueMicrotask',
          'process',
          'require',
        ].map((name) => ({
          name,
          message: WORKFLOW_NONDETERMINISM,
        })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: WORKFLOW_NONDETERMINISM },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads'],
              message: 'workflow code does no I/O',
            },
            {
              regex: '^\\.\\./(?!contracts/(chunk-plan|study-defaults|tasks)$)',
              allowTypeImports: true,
              message: 'workflows import only types from outside src/workflows and src/contracts',
            },
          ],
        },
      ],
    },
  },
);
