import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { agentPush } from './fixtures/agent';

/**
 * Issue 21: a namespace that enforces a Pod Security level while workloads that break it keep running. The shop
 * fixture labels `shop` enforce=baseline and runs a privileged storefront, as a namespace labelled after its
 * workloads were created does; the finding page names the level and the workload with the field that breaks it.
 */
const CONTROL = 'namespace.pod-security-level-violated';
const TITLE = 'Workloads already running meet the Pod Security level their namespace enforces';

test('a namespace enforcing baseline lists the running workload that breaks it, with the field', async ({ page }) => {
  test.setTimeout(180_000);
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  const created = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'prod' } });
  expect(created.status()).toBe(201);
  const { token } = (await created.json()) as { token: string };
  await agentPush(token, 'e2e/fixtures/manifests/shop');

  const link = page.getByRole('table', { name: /^Findings/ }).getByRole('link', { name: TITLE });
  await expect.poll(async () => {
    await page.goto(`/o/${org.slug}/findings?control=${CONTROL}`);
    return link.count();
  }, { timeout: 60_000 }).toBe(1);
  await link.click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE);
  await expect(page.getByText('namespace shop enforces baseline; 1 workload running there violates it: Deployment shop/storefront')).toBeVisible();
  const evidence = page.getByTestId('pod-security-level');
  await expect(evidence).toContainText('Enforces baseline at latest');
  await expect(evidence).toContainText('1 workload already running here would be refused by this level');
  const workload = evidence.getByRole('listitem').filter({ hasText: 'Deployment shop/storefront' });
  await expect(workload).toContainText('spec.template.spec.containers[0].securityContext.privileged');
  await expect(workload).toContainText('container "web" runs privileged');
  await page.screenshot({ path: 'test-results/pod-security-finding.png', fullPage: true });
});
