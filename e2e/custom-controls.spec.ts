import { expect, test, type APIRequestContext } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { agentPush } from './fixtures/agent';

/**
 * Issue 23: an admin writes "public-facing Ingresses require a security review" from the examples library, sees a
 * compile error with its position and a selector mistake at its field, previews the draft on the cluster (2 failing
 * Ingresses of 3), creates and enables it; enabling re-evaluates the cluster's latest snapshot, so the 2 findings appear
 * without a new snapshot, listed under the control's title; one Ingress gets its security-review annotation and the
 * next snapshot resolves its finding.
 */
const CONTROL = 'custom.ingress-security-review';

type FindingItem = { resourceName: string; status: string; controlId: string };
async function findingsOf(request: APIRequestContext, slug: string): Promise<FindingItem[]> {
  const response = await request.get(`/api/v1/orgs/${slug}/findings?controlId=${CONTROL}&status=OPEN,ACKNOWLEDGED,RESOLVED&limit=50`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { items: FindingItem[] };
  return body.items;
}

async function evaluatedAt(request: APIRequestContext, slug: string, clusterId: string): Promise<string | null> {
  const response = await request.get(`/api/v1/orgs/${slug}/clusters/${clusterId}`);
  const body = (await response.json()) as { cluster?: { lastEvaluatedAt: string | null }; lastEvaluatedAt?: string | null };
  return body.cluster?.lastEvaluatedAt ?? body.lastEvaluatedAt ?? null;
}

test('a custom control: previewed, enabled, findings at once (re-evaluated, no new snapshot) under its title, resolved when the Ingress is reviewed', async ({ page }) => {
  test.setTimeout(240_000);
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  const created = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'edge' } });
  expect(created.status()).toBe(201);
  const { token, cluster } = (await created.json()) as { token: string; cluster: { id: string } };
  await agentPush(token, 'e2e/fixtures/manifests/ingresses');
  await expect.poll(() => evaluatedAt(page.request, org.slug, cluster.id), { timeout: 60_000 }).not.toBeNull();
  const firstEvaluation = await evaluatedAt(page.request, org.slug, cluster.id);

  // The examples library → a prefilled editor.
  await page.goto(`/o/${org.slug}/controls/custom`);
  const example = page.getByRole('listitem').filter({ hasText: 'Public-facing Ingresses require a security review' });
  await example.getByRole('link', { name: 'Copy into a new control' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New custom control' })).toBeVisible();
  const expression = page.getByLabel('Expression', { exact: true });
  const original = await expression.inputValue();
  expect(original).toContain('security-review/ticket');

  // A rule that does not compile is refused with the position.
  await expression.fill('object.metadata.annotations[');
  await page.getByRole('button', { name: 'Create (disabled)' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The rule does not compile' })).toContainText(/Validation 1 expression: .*\(line 1, column \d+\)/);
  await expression.fill(original);

  // A selector mistake is shown at its field before anything is sent; set-based clauses are accepted.
  const objectSelector = page.getByLabel('Object selector');
  await objectSelector.fill('tier in (web, api');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.locator('#cc-object-labels-error')).toHaveText('missing ")" in "tier in (web, api"');
  await expect(objectSelector).toHaveAttribute('aria-invalid', 'true');
  await objectSelector.fill('!legacy');
  await expect(page.locator('#cc-object-labels-error')).toHaveCount(0);

  // Preview on the cluster's latest snapshot: 2 of the 3 Ingresses fail, with the message expression's text.
  await page.getByRole('button', { name: 'Preview' }).click();
  const results = page.getByTestId('preview-results');
  await expect(results.getByTestId('preview-summary')).toContainText('edge: 2 of 3 matching objects would fail');
  await expect(results.getByTestId('preview-failing')).toHaveCount(2);
  await expect(results).toContainText('Ingress shop exposes shop.example.com without a security-review/ticket annotation');
  await expect(results).toContainText('Ingress web/api');
  expect(await findingsOf(page.request, org.slug)).toEqual([]);

  await page.getByRole('button', { name: 'Create (disabled)' }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/controls/custom/[0-9a-f-]{36}$`));
  await expect(page.getByTestId('custom-control-state')).toHaveText('Disabled');
  await page.getByRole('button', { name: 'Enable' }).click();
  await expect(page.getByText('Enabled; re-evaluating 1 cluster.')).toBeVisible();
  await expect(page.getByTestId('custom-control-state')).toHaveText('Enabled');
  await expect(page.getByTestId('custom-control-version').first()).toContainText('Version 2 · enabled');

  // No new snapshot: enabling queued a re-evaluation of the latest one, and the two findings open.
  await expect.poll(() => evaluatedAt(page.request, org.slug, cluster.id), { timeout: 60_000 }).not.toBe(firstEvaluation);
  await expect.poll(async () => (await findingsOf(page.request, org.slug)).filter((f) => f.status === 'OPEN').map((f) => f.resourceName).sort(), { timeout: 60_000 }).toEqual(['api', 'shop']);
  // The findings list names the control by its title, marked as the organization's with its version.
  await page.goto(`/o/${org.slug}/findings?control=${CONTROL}`);
  const shopRow = page.getByRole('table', { name: /^Findings/ }).getByRole('row').filter({ hasText: 'shop' });
  await expect(shopRow).toHaveCount(1);
  await expect(shopRow.getByRole('link', { name: 'Public-facing Ingresses require a security review' })).toBeVisible();
  await expect(shopRow.getByTestId('custom-control-marker')).toHaveText('custom · v2');
  await expect(shopRow).not.toContainText(CONTROL);

  // The shop Ingress is reviewed (annotated); the next snapshot resolves its finding, api stays open.
  const secondEvaluation = await evaluatedAt(page.request, org.slug, cluster.id);
  await agentPush(token, 'e2e/fixtures/manifests/ingresses-reviewed');
  await expect.poll(() => evaluatedAt(page.request, org.slug, cluster.id), { timeout: 60_000 }).not.toBe(secondEvaluation);
  await expect.poll(async () => Object.fromEntries((await findingsOf(page.request, org.slug)).map((f) => [f.resourceName, f.status])), { timeout: 60_000 })
    .toEqual({ api: 'OPEN', shop: 'RESOLVED' });
  await page.goto(`/o/${org.slug}/controls/custom`);
  await expect(page.getByTestId('custom-control-row')).toContainText('the organization');
  await page.screenshot({ path: 'test-results/custom-controls.png', fullPage: true });
});
