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

// ---------------------------------------------------------------------------------------------
// TEMPORARY during the issue 9 restructure; remove when the owners' changes land.
// Findings in files that other engineers are rewriting right now: these rules only warn in these
// files until their changes land. Do not add entries: fix the finding instead. When a file here
// is fixed (or moved/deleted), remove its line; when a rule's list is empty, remove the rule.
const TEMPORARY_WARN_DURING_ISSUE_9 = new Map([
  ['@eslint-community/eslint-comments/require-description', [
    'apps/api/src/adapters/brief/brief-html.ts',
    'apps/api/src/adapters/brief/extractive-brief-writer.ts',
    'apps/api/src/adapters/llm/brief-validator.ts',
    'tests/abuse/signup-race.test.ts',
  ]],
  ['@typescript-eslint/no-unused-expressions', [
    'apps/api/src/adapters/search/fake-meilisearch.ts',
  ]],
  ['@typescript-eslint/no-unused-vars', [
    'apps/api/src/adapters/search/fake-meilisearch.ts',
    'apps/api/src/adapters/search/search-text.ts',
    'apps/api/src/adapters/search/sqlite-search-index.ts',
  ]],
  ['no-control-regex', [
    'apps/api/src/adapters/search/search-text.ts',
    'apps/api/src/domain/import-markdown.ts',
    'tests/api/bad-input.test.ts',
  ]],
  ['no-useless-escape', [
    'apps/api/src/domain/brief-blocks.ts',
  ]],
  ['prefer-const', [
    'apps/api/src/adapters/llm/fake-openai.ts',
  ]],
]);
// ---------------------------------------------------------------------------------------------

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
  // TEMPORARY during the issue 9 restructure; remove when the owners' changes land (see above).
  ...[...TEMPORARY_WARN_DURING_ISSUE_9].map(([rule, files]) => ({ files, rules: { [rule]: 'warn' } })),
);
