import { expect, test, type Page } from '@playwright/test';
import { signIn } from './fixtures/auth';

/**
 * The demo data (Acme with three clusters and 30 days of history, Globex) as each role sees it.
 * scripts/e2e.sh loads it into the e2e database through the product's own paths.
 */
async function nav(page: Page) {
  return page.getByRole('navigation', { name: 'Organization' });
}

test('the Acme owner sees the three clusters, their scores, and the management controls', async ({ page }) => {
  await signIn(page, 'owner@acme.test');
  await expect(page).toHaveURL(/\/o\/acme$/);
  for (const cluster of ['prod', 'staging', 'dev']) await expect(page.getByRole('row', { name: new RegExp(`^${cluster}\\b`) })).toBeVisible();
  await expect(page.getByTestId('score-iso27001-2022')).toContainText('%');
  await page.goto('/o/acme/clusters');
  await expect(page.getByRole('link', { name: 'Add a cluster' })).toBeVisible();
  await expect((await nav(page)).getByRole('link', { name: 'Audit log' })).toBeVisible();
  await expect((await nav(page)).getByRole('link', { name: 'Reports' })).toBeVisible();
});

test('the Acme admin can manage members', async ({ page }) => {
  await signIn(page, 'admin@acme.test');
  await page.goto('/o/acme/settings/members');
  await expect(page.getByRole('button', { name: /Invite/ })).toBeVisible();
});

test('the Acme engineer triages findings but cannot add clusters or read the audit log', async ({ page }) => {
  await signIn(page, 'engineer@acme.test');
  await page.goto('/o/acme/findings');
  await expect(page.getByRole('table')).toBeVisible();
  await expect(page.getByRole('button', { name: /Acknowledge/ }).first()).toBeVisible();
  await page.goto('/o/acme/clusters');
  await expect(page.getByRole('link', { name: 'Add a cluster' })).toHaveCount(0);
  await expect((await nav(page)).getByRole('link', { name: 'Audit log' })).toHaveCount(0);
});

test('the Acme auditor reads reports and the audit log, and changes nothing', async ({ page }) => {
  await signIn(page, 'auditor@acme.test');
  await expect((await nav(page)).getByRole('link', { name: 'Reports' })).toBeVisible();
  await expect((await nav(page)).getByRole('link', { name: 'Audit log' })).toBeVisible();
  await page.goto('/o/acme/findings');
  await expect(page.getByRole('table')).toBeVisible();
  await expect(page.getByRole('button', { name: /Acknowledge/ })).toHaveCount(0);
  await page.goto('/o/acme/audit');
  await expect(page.getByRole('table')).toBeVisible();
});

test('the Acme viewer sees dashboards and findings only', async ({ page }) => {
  await signIn(page, 'viewer@acme.test');
  await expect(page.getByTestId('score-cis-k8s-1.9')).toContainText('%');
  await expect((await nav(page)).getByRole('link', { name: 'Reports' })).toHaveCount(0);
  await expect((await nav(page)).getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await page.goto('/o/acme/findings');
  await expect(page.getByRole('button', { name: /Acknowledge/ })).toHaveCount(0);
});

test('the Globex admin sees Globex and nothing of Acme', async ({ page }) => {
  await signIn(page, 'admin@globex.test');
  await expect(page).toHaveURL(/\/o\/globex$/);
  await expect(page.getByRole('row', { name: /^main\b/ })).toBeVisible();
  expect(await page.content()).not.toMatch(/\bstaging\b/);
  const response = await page.goto('/o/acme');
  expect(response?.status()).toBe(404);
  const api = await page.request.get('/api/v1/orgs/acme/findings');
  expect(api.status()).toBe(404);
});
