// ESLint (flat config): typescript-eslint's recommended rules everywhere, the rules of hooks in the web app, and the
// import boundaries between the server and the browser. Formatting is Prettier's (.prettierrc), not ESLint's.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'data/**', 'node_modules/**', 'test/tmp*/**', 'demo-fixtures/**', 'bench/.cache/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      // `_`-prefixed names are deliberately unused (a parameter kept for its position, a destructured-away field).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // The browser bundle: hooks rules, and no server code in it. The web takes the API's types from the server's
    // schemas with `import type` (erased at build); the only runtime code it shares are modules written for both
    // sides, without Node imports, listed here.
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // The stop word lists are plain strings: the search box's help shows them. The quality model, scorer and
              // scorecard checks are pure: the evaluation form and the scorecard builder run the server's own code.
              regex: '^(\\.\\./)+src/(?!media/peaks-format\\.ts$|search/analyzer/stopwords/(en|fr)\\.ts$|quality/(model|scoring|scorecards/definition)\\.ts$)',
              allowTypeImports: true,
              message:
                'The web may import server modules only with `import type` (shared runtime code lives in modules written for both sides, e.g. src/media/peaks-format.ts).',
            },
            { regex: '^node:', message: 'Node modules are not available in the browser.' },
          ],
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.test.{ts,tsx}'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    // Plain JavaScript runs in Node (bin/, scripts/, the read worker): its globals are defined.
    files: ['**/*.{js,mjs}'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
  },
  {
    // Migrations and the dialect adapter work on the schema as it was when each step was written, not on today's
    // typed Database, so they take an untyped Kysely; the pg driver's type-parser hook is untyped too.
    files: ['src/platform/db/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)web/', message: 'The server does not import the web app.' }] }],
    },
  },
  {
    // The search's request path (docs/search.md, stop 29): on Node 20's V8, `{ ...a, b }` gives every object it makes
    // a hidden class of its own, whose descriptors outlive the object until a full collection (each young-generation
    // pause promoted ~360 KB of them in a loop of searches, and took 2 ms instead of under 1).
    files: ['src/search/{service,repository,highlights}.ts', 'src/search/{fulltext,query,filters,analyzer,index}/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement ~ Property',
          message: 'A spread followed by properties makes a new hidden class per object on Node 20: use Object.assign({}, a, { b }) or list the properties.',
        },
      ],
    },
  },
);
