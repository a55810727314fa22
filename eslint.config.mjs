// ESLint flat config: the recommended JavaScript and typescript-eslint rules, nothing stricter.
// Formatting is Prettier's job (npm run format), so no stylistic rules here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import moduleBoundaries from './libs/lint/module-boundaries.js';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a parameter that a signature requires but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Modules reach each other only through ports and events; the platform knows no module.
    files: ['src/**/*.ts', 'libs/**/*.ts'],
    plugins: { chime: { rules: { 'module-boundaries': moduleBoundaries } } },
    rules: { 'chime/module-boundaries': 'error' },
  },
  {
    // The plain CommonJS files (jest.config.js, test and bench helpers) run in Node as they are: they
    // see Node's globals (taken from the Node running ESLint, so no globals package is needed).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        ...Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly'])),
        ...{ require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' },
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Plain ES module scripts (run by Node in a process of their own) see Node's globals too.
    files: ['**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['process', 'Buffer', 'console'].map((name) => [name, 'readonly'])),
    },
  },
);
