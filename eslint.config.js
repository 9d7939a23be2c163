// ESLint for every workspace (each package's `lint` script runs `eslint .` over its own folder; the
// root `npm run lint` runs them all through turbo, and `npm test` lints first).
//
// - All code: ESLint's and typescript-eslint's recommended rules (not the type-checked set: lint
//   stays fast and `npm run typecheck` already runs tsc).
// - Server and shared code (apps/api, packages/*): eslint-plugin-regexp, because regular expressions
//   there see user input and one with catastrophic backtracking or a quadratic scan stalls the event
//   loop for everyone (issue 8). The two super-linear checks are errors; the recommended rules that
//   only prefer one spelling of the same expression are off (no style war).
// - The web app: the React hooks rules.
// - `eslint-disable` comments must say why (`// eslint-disable-next-line rule -- reason`) and must
//   still be needed.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import reactHooks from 'eslint-plugin-react-hooks';
import regexp from 'eslint-plugin-regexp';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ALL = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const SERVER = ['apps/api/**/*.{ts,mts,js,mjs}', 'packages/*/src/**/*.{ts,mts,js,mjs}'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.turbo/**',
      'data/**',
      'tests/artifacts/**',
      'bench/results/**',
      // Generated from the API's OpenAPI document (apps/web/scripts/api-client.mjs); checked for
      // being current, not linted.
      '**/*.gen.ts',
    ],
  },
  {
    files: [ALL],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.node },
    },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  { files: [ALL], ...js.configs.recommended },
  ...tseslint.configs.recommended.map((config) => ({ files: [ALL], ...config })),
  { files: [ALL], ...comments.recommended },
  {
    files: [ALL],
    rules: {
      // A disable comment names its rule and says why: `-- reason`.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: ['eslint-enable'] }],
      '@eslint-community/eslint-comments/no-unlimited-disable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: SERVER,
    plugins: { regexp },
    rules: {
      ...regexp.configs['flat/recommended'].rules,
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      // Spelling preferences (correct either way).
      'regexp/use-ignore-case': 'off',
      'regexp/prefer-w': 'off',
      'regexp/prefer-d': 'off',
      'regexp/control-character-escape': 'off',
      'regexp/negation': 'off',
      'regexp/no-useless-escape': 'off',
      'regexp/no-useless-lazy': 'off',
      'regexp/no-unused-capturing-group': 'off',
      'regexp/no-obscure-range': 'off',
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
