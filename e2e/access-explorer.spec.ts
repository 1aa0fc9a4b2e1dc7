import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { agentPush } from './fixtures/agent';

/**
 * Issue 22: a viewer asks who can read Secrets in payments and sees each subject with its chain, including the
 * aggregated ClusterRole (whose manifest has no rules) and the ServiceAccount group; then what ci-bot can do.
 */
test('who can read secrets in payments: every subject with its chain, aggregation shown', async ({ page }) => {
  test.setTimeout(180_000);
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  const created = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'payments-prod' } });
  expect(created.status()).toBe(201);
  const { token, cluster } = (await created.json()) as { token: string; cluster: { id: string } };
  await agentPush(token, 'e2e/fixtures/manifests/access-explorer');

  // From the cluster page, as a user finds it.
  await page.goto(`/o/${org.slug}/clusters/${cluster.id}`);
  await page.getByRole('link', { name: 'Who can do what →' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Access: payments-prod');

  const result = page.getByTestId('who-can-result');
  await expect.poll(async () => {
    await page.goto(`/o/${org.slug}/clusters/${cluster.id}/access`);
    await page.getByLabel('Verb', { exact: true }).fill('get');
    await page.getByLabel('Resource', { exact: true }).fill('secrets');
    await page.getByLabel('Namespace', { exact: true }).fill('payments');
    await page.getByRole('button', { name: 'Ask' }).click();
    return result.count();
  }, { timeout: 60_000 }).toBe(1);

  await expect(result.getByRole('heading', { level: 2 })).toHaveText('3 subjects can get secrets in namespace payments');
  const alice = result.getByTestId('who-can-subject').filter({ hasText: 'User alice@example.com' });
  await expect(alice.getByTestId('access-chain')).toContainText('RoleBinding payments/alice-ops');
  await expect(alice.getByTestId('access-chain')).toContainText('ClusterRole payments-ops');
  await expect(alice.getByTestId('access-chain')).toContainText('aggregates secret-reader');
  await expect(alice.getByRole('list', { name: 'Dangerous rights' })).toContainText('reads Secrets');
  await expect(result.getByTestId('who-can-subject').filter({ hasText: 'Group system:serviceaccounts:payments (every ServiceAccount in payments)' })).toHaveCount(1);
  await expect(result.getByTestId('who-can-subject').filter({ hasText: 'ServiceAccount payments/ci-bot' }).getByTestId('access-chain').first()).toContainText('ClusterRole edit');
  await page.screenshot({ path: 'test-results/access-who-can.png', fullPage: true });

  // What can ci-bot do: through its own binding and its namespace's group, dangerous rights first.
  await page.getByRole('link', { name: 'What can', exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill('ci-bot');
  await page.getByLabel('Namespace', { exact: true }).fill('payments');
  await page.getByRole('button', { name: 'Ask' }).click();
  const what = page.getByTestId('what-can-result');
  await expect(what.getByRole('heading', { level: 2 })).toHaveText('What ServiceAccount payments/ci-bot can do');
  await expect(what).toContainText('through Group system:serviceaccounts:payments');
  await expect(what.getByRole('list', { name: 'Dangerous rights' }).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/access-what-can.png', fullPage: true });

  // A date before the cluster existed is answered with the reason, not an error page.
  await page.getByRole('link', { name: 'Who can', exact: true }).click();
  // The tab is a link: fill the date only once its page has replaced the What can form (else the navigation
  // lands after the fill and the question is asked without a date).
  await expect(page).toHaveURL(/[?&]tab=who/);
  await expect(page.getByRole('form', { name: 'Who can question' })).toBeVisible();
  await page.getByLabel('As of', { exact: true }).fill('2020-01-01');
  await expect(page.getByLabel('As of', { exact: true })).toHaveValue('2020-01-01');
  await page.getByRole('button', { name: 'Ask' }).click();
  await expect(page.getByTestId('access-error')).toContainText('had no evaluated snapshot at 2020-01-01T23:59:59.999Z');
});
