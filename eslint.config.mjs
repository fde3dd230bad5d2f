// Typed ESLint: type-aware rules, promises must be handled.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** An object literal with anything after a spread (see the rule's block below). */
const SLOW_SPREAD = {
  selector: 'ObjectExpression > SpreadElement ~ *',
  message:
    'Nothing after a spread in an object literal (slow on Node 20): put the spread last when nothing in it is overridden, or use Object.assign({}, a, { b }).',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'libs/*/dist/**',
      'examples/**',
      'node_modules/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  // Node 20's V8 builds an object literal with anything after a spread (`{ ...a, b }`,
  // `{ ...a, ...b }`) through its slow path: about 1 µs, 8 µs for a 20-column row, where
  // Object.assign or a plain literal takes 0.05 µs (docs/performance.md). A spread alone or last
  // (`{ b, ...a }`) is fast. Refused in the code requests run: services, controllers, guards,
  // strategies, the request path of mes-methods and ops, and the MES methods' handlers
  // (definitions built once at start-up may spread as they like).
  {
    files: [
      'libs/*/src/**/*.{service,controller,guard,strategy,filter}.ts',
      'libs/common/src/**/*.ts',
      'libs/mes-methods/src/http/**/*.ts',
      'libs/mes-transactions/src/**/*.ts',
      'libs/mes-direct-access/src/**/*.ts',
      'apps/mes-web-api/src/ops/**/*.ts',
      'apps/mes-web-api/src/http/**/*.ts',
    ],
    ignores: ['**/*.spec.ts', '**/*.options.ts', '**/*.module-definition.ts'],
    rules: { 'no-restricted-syntax': ['error', SLOW_SPREAD] },
  },
  {
    files: ['apps/mes-web-api/src/methods/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { ...SLOW_SPREAD, selector: `Property[key.name='handle'] ${SLOW_SPREAD.selector}` },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
);
