import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // The project service picks the nearest tsconfig.json: the root one, or web/'s for web/.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
      // Async functions without await implement Promise-returning contracts (Fastify handlers,
      // interfaces); dropping `async` would turn their throws into synchronous ones.
      '@typescript-eslint/require-await': 'off',
      // Aborts reject with the caller's own `signal.reason` (tests check its identity), and
      // errors from libraries arrive as `unknown`.
      '@typescript-eslint/only-throw-error': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // String(x) on unvalidated client input is how error messages echo what was sent.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // Layers point one way: routes call the modules that own the tables, never SQL themselves.
    files: ['src/http/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kysely', message: 'src/http builds no SQL: call the table owner.' }],
          patterns: [
            {
              group: ['**/db/transaction.js'],
              importNames: ['queryIn'],
              message: 'src/http passes a TransactionHandle along; only table owners query in it.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='kysely']",
          message: 'src/http builds no SQL: call the module that owns the table.',
        },
      ],
    },
  },
  {
    // Tests, fakes and benchmarks read untyped JSON bodies, pass methods to expect() and (in
    // the fakes) throw ready-made upstream answers; type-checking those adds noise, not safety.
    files: ['test/**', 'bench/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/only-throw-error': 'off',
    },
  },
  {
    // Plain JavaScript (the CLI launcher, this file) has no types to check against.
    files: ['bin/*', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['bin/*'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  prettier,
);
