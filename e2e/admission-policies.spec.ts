import { expect, test, type APIRequestContext } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { agentPush } from './fixtures/agent';

/**
 * Issue 23: the agent sends the cluster's own ValidatingAdmissionPolicies (and Kyverno and Gatekeeper metadata). The
 * cluster page's "Admission policies" section lists each policy and binding with its actions, failurePolicy, objects
 * evaluated and violations, or "not evaluable" with the reason; the violation links to its finding (payments/api
 * predates require-owner-label); the next snapshot, where api has its owner label, resolves it.
 */
const CONTROL = 'vap.require-owner-label';

type FindingItem = { resourceName: string; resourceNamespace: string | null; status: string };
async function findingsOf(request: APIRequestContext, slug: string): Promise<string[]> {
  const response = await request.get(`/api/v1/orgs/${slug}/findings?controlId=${CONTROL}&status=OPEN,RESOLVED&limit=50`);
  expect(response.status()).toBe(200);
  const { items } = (await response.json()) as { items: FindingItem[] };
  return items.map((item) => `${item.resourceNamespace}/${item.resourceName} ${item.status}`);
}

test("the cluster's own admission policies: the section, the finding of a Deployment that predates one, resolved once fixed", async ({ page }) => {
  test.setTimeout(180_000);
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  const created = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'payments-prod' } });
  expect(created.status()).toBe(201);
  const { token, cluster } = (await created.json()) as { token: string; cluster: { id: string } };
  await agentPush(token, 'e2e/fixtures/manifests/admission-policies');
  await expect.poll(() => findingsOf(page.request, org.slug), { timeout: 60_000 }).toEqual(['payments/api OPEN']);

  await page.goto(`/o/${org.slug}/clusters/${cluster.id}`);
  const section = page.getByTestId('admission-policies');
  const owner = section.getByTestId('vap-require-owner-label');
  await expect(owner).toContainText('require-owner-label-prod');
  await expect(owner).toContainText('Deny');
  await expect(owner).toContainText('Fail');
  await expect(owner).toContainText('1 running Deployment predates policy require-owner-label and violates it');
  await expect(section.getByTestId('vap-no-admin-changes')).toContainText('not evaluable: validations[0] reads `request`, which does not exist for an object already stored');
  await expect(section.getByTestId('kyverno-policies')).toContainText('require-team-label');
  await expect(section.getByTestId('kyverno-policies')).toContainText('check-team');
  await expect(section.getByTestId('gatekeeper-constraints')).toContainText('must-have-owner');
  await expect(section.getByTestId('gatekeeper-constraints')).toContainText('14');

  // The violation count links to the cluster's findings of that policy: one, payments/api.
  await owner.getByRole('link', { name: '1' }).click();
  await expect(page).toHaveURL(new RegExp(`control=${CONTROL.replace('.', '\\.')}`));
  const rows = page.getByRole('table', { name: /^Findings/ }).getByRole('row').filter({ hasText: 'api' });
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole('link').first().click();
  await expect(page.getByText('Deployment payments/api was admitted before ValidatingAdmissionPolicy require-owner-label (binding require-owner-label-prod, actions Deny) and violates it: Deployment api has no owner label')).toBeVisible();
  await expect(page.getByTestId('admission-policy-evidence')).toContainText('require-owner-label-prod');

  // api gets its owner label: the next snapshot resolves the finding, and the section says nothing violates it.
  await agentPush(token, 'e2e/fixtures/manifests/admission-policies-fixed');
  await expect.poll(() => findingsOf(page.request, org.slug), { timeout: 60_000 }).toEqual(['payments/api RESOLVED']);
  await page.goto(`/o/${org.slug}/clusters/${cluster.id}`);
  await expect(page.getByTestId('vap-require-owner-label')).toContainText('nothing running violates policy require-owner-label');
});
