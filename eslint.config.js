// ESLint runs for one reason: regular expressions in server code see user input, and one with
// catastrophic backtracking (or a quadratic scan) stalls the event loop for everyone (issue 8).
// So the rule set is eslint-plugin-regexp's recommended rules with the two super-linear checks as
// errors, minus the recommended rules that only prefer one spelling of the same expression — no
// style war. Each package's `lint` script runs it over its own src/ (`npm test` runs lint first).
import tseslint from 'typescript-eslint';
import regexp from 'eslint-plugin-regexp';

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', 'apps/web/**', 'bench/**', 'tests/**', 'data/**'] },
  {
    files: ['apps/api/src/**/*.{ts,mts,js,mjs}', 'packages/*/src/**/*.{ts,mts,js,mjs}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    // Registered (no rules on) so that existing `eslint-disable` comments naming its rules resolve.
    plugins: { regexp, '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      ...regexp.configs['flat/recommended'].rules,
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      // Spelling preferences (correct either way) and intentional control characters in sanitizers.
      'regexp/use-ignore-case': 'off',
      'regexp/prefer-w': 'off',
      'regexp/prefer-d': 'off',
      'regexp/control-character-escape': 'off',
      'regexp/negation': 'off',
      'regexp/no-useless-escape': 'off',
      'regexp/no-useless-lazy': 'off',
      'regexp/no-unused-capturing-group': 'off',
      'regexp/no-obscure-range': 'off',
      'no-control-regex': 'off',
    },
  },
];
