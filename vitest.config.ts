import { defineConfig } from 'vitest/config';
import path from 'node:path';

const alias = { '@': path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'scan/**/*.test.ts', 'agent/**/*.test.ts', 'workers/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['**/*.integration.test.ts'],
          exclude: ['node_modules/**', 'e2e/**'],
          environment: 'node',
          globalSetup: ['lib/testing/global-setup.ts'],
          setupFiles: ['lib/testing/integration-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: each file gets its own database, but too many at once only makes them all slow.
          maxWorkers: 2,
        },
      },
    ],
  },
});
