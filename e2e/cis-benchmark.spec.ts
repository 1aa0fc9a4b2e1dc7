import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/**
 * Issue 21: an owner picks the CIS Kubernetes Benchmark version in Settings; the report form then offers that
 * version (and only that one), named with its number.
 */
test('an owner switches the organization to CIS v1.12 and the report form offers v1.12', async ({ page }) => {
  test.setTimeout(90_000);
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER, `/o/${org.slug}/settings`);
  const version = page.getByLabel('CIS Kubernetes Benchmark version');
  await expect(version).toHaveValue('1.9');
  await version.selectOption('1.12');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toContainText('Settings saved.');

  await page.goto(`/o/${org.slug}/reports`);
  const framework = page.getByLabel('Framework');
  await expect(framework.locator('option', { hasText: 'CIS Kubernetes Benchmark 1.12' })).toHaveCount(1);
  await expect(framework.locator('option', { hasText: 'CIS Kubernetes Benchmark 1.9' })).toHaveCount(0);
});
