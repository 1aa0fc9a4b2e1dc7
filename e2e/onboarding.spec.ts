import { mkdir } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { agentPush } from './fixtures/agent';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

const SHOTS = 'artifacts/e2e/screenshots';

test.beforeAll(async () => { await mkdir(SHOTS, { recursive: true }); });

test('an owner adds a cluster, pushes a snapshot with the token shown, and sees scores and findings', async ({ page }) => {
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}$`));
  await expect(page.getByRole('heading', { name: 'Connect your first cluster' })).toBeVisible();

  await page.getByRole('link', { name: 'Add a cluster' }).click();
  await page.getByLabel('Cluster name').fill('prod-eu');
  await page.getByRole('button', { name: 'Add cluster' }).click();
  await expect(page.getByRole('status')).toContainText('Cluster “prod-eu” added');
  const token = await page.getByLabel('Agent token').inputValue();
  expect(token).toMatch(/^bwa_/);
  await expect(page.getByLabel('Install the agent in the cluster')).toHaveValue(/kubectl apply -k agent\/deploy/);

  const pushed = await agentPush(token, 'e2e/fixtures/manifests/shop');
  expect(pushed.stdout).toContain('snapshotId');

  await page.goto(`/o/${org.slug}`);
  // The dashboard refreshes itself until the worker has evaluated the first snapshot.
  await expect(page.getByTestId('score-iso27001-2022')).toContainText('%', { timeout: 45_000 });
  await expect(page.getByTestId('score-cis-k8s-1.9')).toContainText('%');
  await expect(page.getByRole('row', { name: /prod-eu/ })).toBeVisible();
  await expect(page.getByText('Top failing controls')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });

  await page.getByRole('row', { name: /prod-eu/ }).getByRole('link', { name: 'prod-eu' }).click();
  await expect(page.getByRole('heading', { name: 'prod-eu' })).toBeVisible();
  await expect(page.getByText('Done', { exact: true }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/cluster.png`, fullPage: true });

  await page.goto(`/o/${org.slug}/controls?framework=cis-k8s-1.9`);
  await expect(page.getByText('prod-eu: fail').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/controls.png`, fullPage: true });

  // No secret value from the manifests is ever rendered.
  for (const path of [`/o/${org.slug}`, `/o/${org.slug}/controls`]) {
    await page.goto(path);
    expect(await page.content()).not.toContain('s3cr3t-e2e-Password!');
  }
});

test('a user of another organization gets 404 for everything in it', async ({ page, browser }) => {
  const acme = await createTestOrg(['OWNER']);
  const globex = await createTestOrg(['OWNER']);
  const ownerContext = await browser.newContext();
  const ownerPage = await ownerContext.newPage();
  await signIn(ownerPage, acme.users.OWNER);
  const created = await ownerPage.request.post(`/api/v1/orgs/${acme.slug}/clusters`, { data: { name: 'secret-cluster' } });
  expect(created.status()).toBe(201);
  const { cluster } = (await created.json()) as { cluster: { id: string } };
  await ownerContext.close();

  await signIn(page, globex.users.OWNER);
  for (const path of [`/o/${acme.slug}`, `/o/${acme.slug}/clusters`, `/o/${acme.slug}/clusters/${cluster.id}`, `/o/${acme.slug}/controls`, `/o/${acme.slug}/settings`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    expect(await page.content()).not.toContain('secret-cluster');
  }
  const api = await page.request.get(`/api/v1/orgs/${acme.slug}/clusters/${cluster.id}`);
  expect(api.status()).toBe(404);
  // Their own organization's URL with Acme's cluster id: not found either.
  const cross = await page.goto(`/o/${globex.slug}/clusters/${cluster.id}`);
  expect(cross?.status()).toBe(404);
});

test('a viewer sees no management controls and is refused when calling them directly', async ({ page }) => {
  const org = await createTestOrg(['OWNER', 'VIEWER']);
  await signIn(page, org.users.VIEWER);
  await page.goto(`/o/${org.slug}`);
  await expect(page.getByRole('heading', { name: 'Connect your first cluster' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Add a cluster' })).toHaveCount(0);
  await page.goto(`/o/${org.slug}/clusters`);
  await expect(page.getByRole('link', { name: 'Add a cluster' })).toHaveCount(0);
  await page.goto(`/o/${org.slug}/clusters/new`);
  await expect(page.getByText('Your role can’t add clusters')).toBeVisible();

  const response = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'sneaky' } });
  expect(response.status()).toBe(403);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  const list = await page.request.get(`/api/v1/orgs/${org.slug}/clusters`);
  expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
});
