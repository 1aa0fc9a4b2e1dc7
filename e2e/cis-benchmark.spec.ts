import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { agentPush } from './fixtures/agent';

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

/**
 * Issue 21: the cluster page's Nodes section lists what the node collector reported (here kubeadm's control-plane
 * fixture, sent through the node-report intake with the cluster's agent token), with CIS sections 1-4 results in
 * the organization's version; after switching to v1.12 the cluster page, the dashboard and the controls page say
 * v1.12.
 */
test('the cluster page shows its nodes with CIS 1-4 results, in the version the organization picked', async ({ page }) => {
  test.setTimeout(180_000);
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  const created = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'kubeadm-prod' } });
  expect(created.status()).toBe(201);
  const { token, cluster } = (await created.json()) as { token: string; cluster: { id: string } };
  const clusterPage = `/o/${org.slug}/clusters/${cluster.id}`;

  // No node collector yet: the section says how to get one.
  await page.goto(clusterPage);
  await expect(page.getByTestId('nodes-empty')).toContainText('No node reports: install the node collector (agent/deploy/node)');

  await agentPush(token, 'e2e/fixtures/manifests/shop');
  const report = { ...(JSON.parse(readFileSync('agent/test/node-fixtures/kubeadm-control-plane/report.json', 'utf8')) as Record<string, unknown>), collectedAt: new Date().toISOString() };
  const sent = await page.request.post('/api/v1/node-reports', { data: report, headers: { authorization: `Bearer ${token}` } });
  expect(sent.status()).toBe(202);

  // The report re-evaluates the cluster (the worker); the row then shows kubeadm's failing items (--profiling...).
  const row = page.getByTestId('node-row').filter({ hasText: 'cp-1' });
  await expect.poll(async () => {
    await page.goto(clusterPage);
    return (await row.getByTestId('node-cis').textContent()) ?? '';
  }, { timeout: 90_000 }).toMatch(/[1-9]\d* fail/);
  await expect(row).toContainText('control-plane');
  await expect(row).toContainText('self-managed');
  await expect(page.getByTestId('nodes-cis-version')).toHaveText('CIS v1.9 sections 1-4');
  await expect(row.getByRole('link', { name: 'Findings of cp-1 →' })).toHaveAttribute('href', new RegExp(`cluster=${cluster.id}.*resource=Node%2Fcp-1`));
  // The link lists that node's findings only: an exact filter (q= matched every name containing "cp-1").
  await row.getByRole('link', { name: 'Findings of cp-1 →' }).click();
  await expect(page.locator('#f-resource')).toHaveValue('Node/cp-1');
  const listed = page.locator('tbody tr');
  await expect(listed.first()).toBeVisible();
  for (const text of await listed.allTextContents()) expect(text).toContain('Nodecp-1');

  // Switch to v1.12: the pages say so.
  await page.goto(`/o/${org.slug}/settings`);
  await page.getByLabel('CIS Kubernetes Benchmark version').selectOption('1.12');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toContainText('Settings saved.');

  await page.goto(clusterPage);
  await expect(page.getByTestId('nodes-cis-version')).toHaveText('CIS v1.12 sections 1-4');
  await expect(page.getByTestId('node-row').filter({ hasText: 'cp-1' }).getByTestId('node-cis')).toContainText(/[1-9]\d* fail/);
  await expect(page.getByTestId('cluster-score-cis-k8s-1.12')).toBeVisible();
  await expect(page.getByTestId('cluster-score-cis-k8s-1.9')).toHaveCount(0);

  await page.goto(`/o/${org.slug}`);
  await expect(page.getByTestId('clusters-cis-version')).toHaveText('CIS v1.12');
  await expect(page.getByTestId('score-cis-k8s-1.12')).toBeVisible();

  await page.goto(`/o/${org.slug}/controls?framework=cis-k8s-1.12`);
  await expect(page.getByLabel('Framework')).toHaveValue('cis-k8s-1.12');
  await expect(page.getByTestId('control-cis-item').first()).toContainText('CIS v1.12');
});
