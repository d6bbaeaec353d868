// ESLint, flat config: typescript-eslint's recommended rules over the TypeScript sources.
// `npm run lint` runs it with `prettier --check`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test/unleash/', 'coverage/', 'test/**/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // `_name` marks a parameter or binding kept for its position or to discard it.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Tests read loosely typed JSON bodies; the sources keep `any` out by review.
      '@typescript-eslint/no-explicit-any': 'off',
      // `new Gauge(...)` and friends register themselves; the instance is not needed.
      'no-new': 'off',
      // Tests match column-aligned CLI tables, whose runs of spaces are the point.
      'no-regex-spaces': 'off',
    },
  },
  {
    // The admin page's scripts run in the browser.
    files: ['src/admin/page/assets/**/*.js'],
    languageOptions: {
      globals: {
        document: 'readonly',
        window: 'readonly',
        sessionStorage: 'readonly',
        fetch: 'readonly',
        CSS: 'readonly',
        Event: 'readonly',
        Node: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        location: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        console: 'readonly',
      },
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);
