import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/**
 * Secrets shown once (issue 20's check after the Jira fix, ea95e6b): creating an API token or a webhook refreshes
 * the page's server data (the new token or webhook appears in the list), and the just-shown secret must still be
 * there after that refresh, until the admin says they copied it.
 */
test('an API token and a webhook signing secret stay on screen after the page refreshes, until copied', async ({ page }) => {
  test.setTimeout(120_000);
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER, `/o/${org.slug}/settings/api-tokens`);
  await expect(page.getByRole('heading', { name: 'Tokens (0)' })).toBeVisible();
  await page.getByLabel('Name').fill('ci-once');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Token “ci-once” created.' })).toBeVisible();
  const token = await page.getByLabel('API token').inputValue();
  expect(token).toMatch(/^bwk_/);
  // The refresh has landed (the list shows the token) and the token is still shown, unchanged.
  await expect(page.getByRole('heading', { name: 'Tokens (1)' })).toBeVisible();
  await expect(page.getByLabel('API token')).toHaveValue(token);
  await page.getByRole('button', { name: 'I have copied it' }).click();
  await expect(page.getByLabel('API token')).toHaveCount(0);

  await page.goto(`/o/${org.slug}/settings/integrations`);
  await expect(page.getByRole('heading', { name: 'Webhooks (0)' })).toBeVisible();
  await page.getByLabel('URL').fill('https://127.0.0.1:9/one-time-secret');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Webhook created.' })).toBeVisible();
  const secret = await page.getByLabel('Signing secret').inputValue();
  expect(secret).toMatch(/^whsec_/);
  await expect(page.getByRole('heading', { name: 'Webhooks (1)' })).toBeVisible();
  await expect(page.getByLabel('Signing secret')).toHaveValue(secret);
  await page.getByRole('button', { name: 'I have copied it' }).click();
  await expect(page.getByLabel('Signing secret')).toHaveCount(0);
});
