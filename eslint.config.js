import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Import boundaries (see STYLE.md). ESLint replaces a rule's options per matching block instead of merging
// them, so each area lists every pattern that applies to it.
const NO_GENERATED_PRISMA = { group: ['**/db/generated/*', '**/db/generated'], message: 'Import Prisma through lib/db (dbFor, systemDb).' };
const LIB_EDGES = [
  { group: ['@/app/*', '**/app/*', '@/workers/*', '**/workers/*'], message: 'lib/ must not import app/ or workers/.' },
  { group: ['@/lib/web/*', '**/lib/web/*'], message: 'Only app/ imports lib/web.' },
];
const PURE_EDGES = [
  { group: ['next', 'next/*', '@prisma/*', '**/db/*', '@/lib/db/*', 'bullmq', 'ioredis', 'pg', 'node:fs', 'node:fs/*', 'fs', 'node:net', 'node:http', 'node:https'],
    message: 'Pure folders take data in and return data: no framework, database, queue, filesystem or network.' },
];
const PURE = ['lib/snapshot/**', 'lib/engine/**', 'lib/controls/**', 'lib/frameworks/**', 'lib/reports/render/**'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.next/**', 'lib/db/generated/**', 'tools/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'bench/out/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['lib/db/**', 'scripts/**', 'prisma/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_GENERATED_PRISMA] }] },
  },
  {
    files: ['lib/**/*.ts', 'lib/**/*.tsx'],
    ignores: ['lib/web/**', 'lib/db/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_GENERATED_PRISMA, ...LIB_EDGES] }] },
  },
  {
    files: PURE,
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_GENERATED_PRISMA, ...LIB_EDGES, ...PURE_EDGES] }] },
  },
);
