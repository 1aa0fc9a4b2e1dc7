import { expect, request as playwrightRequest, test } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { E2E } from './fixtures/env';

test('an owner labels a cluster, installs the agent from a single-use link, archives and deletes the cluster', async ({ page }) => {
  test.setTimeout(120_000);
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  const created = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'prod-eu' } });
  const { cluster } = (await created.json()) as { cluster: { id: string } };
  await page.goto(`/o/${org.slug}/clusters/${cluster.id}`);

  await page.getByLabel('Environment', { exact: true }).selectOption('PRODUCTION');
  await page.getByLabel('Labels', { exact: true }).fill('team=payments\nregion=eu-west-1');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(page.getByTestId('cluster-labels')).toContainText('production');
  await expect(page.getByTestId('cluster-labels')).toContainText('team=payments');

  await page.getByRole('button', { name: /Create install link/ }).click();
  const command = await page.getByLabel('Install command (shown once)').inputValue();
  expect(command).toMatch(new RegExp(`^kubectl apply -f ${E2E.appUrl}/api/install/${org.slug}/bwl_`));
  await expect(page.getByTestId('install-link-warning')).toContainText('works once');

  // kubectl fetches the link without a session: the first fetch gets the manifests with a token, the next a 410.
  const kubectl = await playwrightRequest.newContext();
  const url = command.replace('kubectl apply -f ', '');
  const first = await kubectl.get(url);
  expect(first.status()).toBe(200);
  const yaml = await first.text();
  expect(yaml).toContain('kind: Secret');
  expect(yaml).toContain(`server: ${E2E.appUrl}`);
  expect(yaml).toMatch(/token: bwa_/);
  const second = await kubectl.get(url);
  expect(second.status()).toBe(410);
  expect(await second.text()).toContain('already used');
  await kubectl.dispose();

  await page.getByRole('button', { name: 'Archive cluster' }).click();
  await expect(page.getByTestId('cluster-archived')).toBeVisible();
  await page.goto(`/o/${org.slug}/clusters`);
  await expect(page.getByRole('listitem').filter({ hasText: 'prod-eu' })).toContainText('archived');

  await page.goto(`/o/${org.slug}/clusters/${cluster.id}`);
  const remove = page.getByRole('button', { name: 'Delete cluster' });
  await expect(remove).toBeDisabled();
  await page.getByLabel('Type prod-eu to confirm').fill('prod-eu');
  await remove.click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/clusters$`));
  await expect(page.getByRole('link', { name: 'prod-eu' })).toHaveCount(0);
  expect((await page.request.get(`/api/v1/orgs/${org.slug}/clusters/${cluster.id}`)).status()).toBe(404);
});
