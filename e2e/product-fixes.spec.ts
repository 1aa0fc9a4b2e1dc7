import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/auth';

/**
 * Issue 18: what people met on the demo (Acme, seeded by scripts/e2e.sh), each checked where only a browser shows it.
 */

test('findings: a quick view shows in the filter form, and adding a filter keeps it', async ({ page }) => {
  await signIn(page, 'owner@acme.test');
  await page.goto('/o/acme/findings');
  // Next.js may keep the previous page in the DOM, hidden: role queries below see only the visible controls.
  await page.getByRole('navigation', { name: 'Quick views' }).getByRole('link', { name: 'Overdue' }).click();
  await expect(page).toHaveURL(/[?&]overdue=1/);
  // One filter form, showing the quick view.
  await expect(page.getByRole('checkbox', { name: 'Overdue only' })).toHaveCount(1);
  await expect(page.getByRole('checkbox', { name: 'Overdue only' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Assigned to me or my teams' })).not.toBeChecked();

  await page.getByRole('combobox', { name: 'Cluster' }).selectOption({ label: 'prod' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/[?&]cluster=/);
  await expect(page).toHaveURL(/[?&]overdue=1/);
  await expect(page.getByRole('checkbox', { name: 'Overdue only' })).toBeChecked();
  const rows = page.getByRole('table').locator('tbody tr');
  const count = await rows.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i += 1) {
    // Owner rows start with a selection checkbox: severity, control, resource, then the cluster.
    await expect(rows.nth(i).getByRole('cell').nth(4)).toHaveText('prod');
    await expect(rows.nth(i)).toContainText('overdue');
  }

  // Another quick view replaces the filters, and the form follows it.
  await page.getByRole('navigation', { name: 'Quick views' }).getByRole('link', { name: 'Risk accepted' }).click();
  await expect(page).toHaveURL(/status=RISK_ACCEPTED/);
  await expect(page.getByRole('checkbox', { name: 'Overdue only' })).toHaveCount(1);
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('RISK_ACCEPTED');
  await expect(page.getByRole('checkbox', { name: 'Overdue only' })).not.toBeChecked();
  await expect(page.getByRole('combobox', { name: 'Cluster' })).toHaveValue('');
});

test('findings: a requirement alone names its framework, and an unknown one says so', async ({ page }) => {
  await signIn(page, 'owner@acme.test');
  await page.goto('/o/acme/findings?requirement=5.2.2');
  await expect(page).toHaveURL(/framework=cis-k8s-1\.9/);
  await expect(page.getByRole('form', { name: 'Filter findings' }).getByLabel('Framework')).toHaveValue('cis-k8s-1.9');
  await page.goto('/o/acme/findings?requirement=9.9.9');
  await expect(page.getByRole('alert').filter({ hasText: 'No framework has a requirement "9.9.9"' })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
});

test('a finding renders `code` in "Why it matters" and "How to fix" as code, with no literal backticks', async ({ page }) => {
  await signIn(page, 'owner@acme.test');
  // rbac.escalation-verbs: "... via `resourceNames`." in its remediation.
  await page.goto('/o/acme/findings?control=rbac.escalation-verbs&status=all');
  await page.getByRole('table').locator('tbody tr').first().getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const fix = page.locator('section').filter({ has: page.getByRole('heading', { name: 'How to fix' }) });
  await expect(fix.locator('code', { hasText: 'resourceNames' })).toBeVisible();
  expect(await fix.innerText()).not.toContain('`');
  await page.goto('/o/acme/controls');
  const body = await page.locator('main').innerText();
  expect(body).not.toMatch(/`[^`\n]+`/);
  await expect(page.locator('main code').first()).toBeVisible();
});

test('a missing finding is titled "Not found", and every page has an icon', async ({ page, request }) => {
  await signIn(page, 'owner@acme.test');
  const response = await page.goto('/o/acme/findings/00000000-0000-4000-8000-000000000000');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not found');
  await expect(page).toHaveTitle('Not found · Bulwark');
  await page.goto('/o/acme/nothing-here');
  await expect(page).toHaveTitle('Not found · Bulwark');

  const favicon = await request.get('/favicon.ico');
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()['content-type']).toMatch(/image\//);
  await page.goto('/o/acme');
  const icon = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(icon).toBeTruthy();
  expect((await request.get(icon ?? '')).status()).toBe(200);
});
