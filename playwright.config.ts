import { defineConfig } from '@playwright/test';
import { E2E } from './e2e/fixtures/env';

// Real Chromium from Debian (nothing is downloaded), two real dev OIDC providers (the platform's and Acme's own), the
// built app, a worker and a DNS server on loopback (global setup).
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'artifacts/e2e/test-output',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: 'artifacts/e2e/results.json' }]],
  globalSetup: './e2e/fixtures/global-setup.ts',
  use: {
    baseURL: E2E.appUrl,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  webServer: [
    {
      command: 'node node_modules/tsx/dist/cli.mjs scripts/dev-idp.ts 2>&1 | tee -a artifacts/e2e/logs/idp.log',
      url: `${E2E.issuer}/.well-known/openid-configuration`,
      env: { ...E2E.env },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      // Acme's own IdP (its SSO connection): the same dev IdP, another port, Acme's accounts and groups.
      command: 'node node_modules/tsx/dist/cli.mjs scripts/dev-idp.ts 2>&1 | tee -a artifacts/e2e/logs/idp-acme.log',
      url: `${E2E.acmeIssuer}/.well-known/openid-configuration`,
      env: { ...E2E.env, ...E2E.acmeIdpEnv },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      // Logs are kept: a spec searches them for planted secret values.
      command: `node node_modules/next/dist/bin/next start -p ${E2E.appPort} 2>&1 | tee -a artifacts/e2e/logs/web.log`,
      url: `${E2E.appUrl}/api/health`,
      env: { ...E2E.env },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
});
