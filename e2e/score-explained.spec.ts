import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { agentPush } from './fixtures/agent';

const CIS = 'cis-k8s-1.9';
/**
 * The CIS requirement the privileged-container control alone decides (listRequirementControls; the spec cannot import
 * the framework data, JSON modules, under Playwright's loader): shop's storefront fails it, shop-fixed's passes.
 */
const requirement = '5.2.2';

test('the dashboard says how the score is made, and a failing requirement leads to the findings of the cluster it fails on', async ({ page }) => {
  test.setTimeout(180_000);
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  const clusters: Record<string, string> = {};
  for (const [name, manifests] of [['prod', 'shop'], ['staging', 'shop-fixed']] as const) {
    const created = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name } });
    expect(created.status()).toBe(201);
    const { cluster, token } = (await created.json()) as { cluster: { id: string }; token: string };
    clusters[name] = cluster.id;
    await agentPush(token, `e2e/fixtures/manifests/${manifests}`);
  }

  // Both snapshots evaluated: the requirement fails on one of the two clusters.
  const row = page.getByTestId(`failing-requirement-${requirement}`);
  await expect.poll(async () => {
    await page.goto(`/o/${org.slug}/scores/${CIS}`);
    return (await row.count()) > 0 ? await row.locator('summary').innerText() : '';
  }, { timeout: 60_000 }).toContain('fails on 1 of 2 clusters');

  await page.goto(`/o/${org.slug}`);
  const rule = page.getByTestId(`score-rule-${CIS}`);
  await expect(rule).toContainText('A requirement passes only when it passes on every cluster in scope');
  await rule.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/scores/${CIS}$`));
  await expect(page.getByTestId('score-rules')).toContainText('archived');

  await row.locator('summary').click();
  await expect(row.getByRole('link', { name: 'Findings on staging' })).toHaveCount(0);
  await row.getByRole('link', { name: 'Findings on prod' }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/o/${org.slug}/findings`
    && url.searchParams.get('framework') === CIS && url.searchParams.get('requirement') === requirement && url.searchParams.get('cluster') === clusters.prod);
  const table = page.getByRole('table', { name: /^Findings/ });
  await expect(table).toContainText('storefront');
  await expect(table).toContainText('prod');
  await expect(table).not.toContainText('staging');
});
