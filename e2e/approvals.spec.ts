import { expect, test, type Page } from '@playwright/test';
import { agentPush } from './fixtures/agent';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/**
 * Issue #18: admins had no queue of the requests waiting for them. The navigation counts the requests a person
 * can decide (never their own), and /approvals lets them decide each in place, oldest first.
 */
type Finding = { id: string; controlId: string; status: string };

async function findings(page: Page, slug: string): Promise<Finding[]> {
  return ((await (await page.request.get(`/api/v1/orgs/${slug}/findings?limit=200`)).json()) as { items: Finding[] }).items;
}

test('a risk acceptance request waits in the owner\'s approvals queue, counted in the navigation, and is approved there', async ({ browser }) => {
  test.setTimeout(180_000);
  const org = await createTestOrg(['OWNER', 'ADMIN', 'MEMBER']);
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, org.users.ADMIN);
  const created = await admin.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'approvals' } });
  const { token } = (await created.json()) as { token: string };
  await agentPush(token, 'e2e/fixtures/manifests/shop');
  await expect.poll(async () => (await findings(admin, org.slug)).length, { timeout: 45_000 }).toBeGreaterThan(3);
  const privileged = (await findings(admin, org.slug)).find((f) => f.controlId === 'workload.privileged-container');
  expect(privileged).toBeDefined();

  await admin.goto(`/o/${org.slug}/findings/${privileged!.id}`);
  await admin.locator('summary', { hasText: 'Request risk acceptance' }).click();
  await admin.getByLabel('Justification').fill('The node plugin must run privileged; the pool is isolated and audited.');
  await admin.getByLabel('Expires on', { exact: true }).fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
  await admin.getByRole('button', { name: 'Request risk acceptance' }).click();
  await expect(admin.getByText('Risk acceptance requested.')).toBeVisible();

  // The requester sees the queue but no count: their own request waits for someone else.
  await admin.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: /^Approvals/ }).click();
  await expect(admin.getByRole('heading', { name: 'Approvals', level: 1 })).toBeVisible();
  await expect(admin.getByTestId('nav-count-approvals')).toHaveCount(0);
  await expect(admin.getByTestId('approval-risk').getByText('Your own request: another owner or admin must decide it.')).toBeVisible();

  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, org.users.OWNER);
  await owner.goto(`/o/${org.slug}`);
  await expect(owner.getByTestId('nav-count-approvals')).toHaveText('1 waiting for your decision');
  await owner.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: /^Approvals/ }).click();
  const item = owner.getByTestId('approval-risk');
  await expect(item).toHaveCount(1);
  await expect(item.getByText('The node plugin must run privileged; the pool is isolated and audited.')).toBeVisible();
  await expect(item.getByText(/Requested by /)).toBeVisible();
  await item.getByRole('textbox', { name: 'Decision note (optional)' }).fill('Reviewed with the platform team.');
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(owner.getByText('Nothing is waiting for a decision.')).toBeVisible();
  await expect(owner.getByTestId('nav-count-approvals')).toHaveCount(0);
  await expect.poll(async () => (await findings(owner, org.slug)).find((f) => f.id === privileged!.id)?.status).toBe('RISK_ACCEPTED');

  // A member has no queue: no navigation entry, and the page says their role can't decide.
  const member = await (await browser.newContext()).newPage();
  await signIn(member, org.users.MEMBER);
  await member.goto(`/o/${org.slug}`);
  await expect(member.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: /^Approvals/ })).toHaveCount(0);
  await member.goto(`/o/${org.slug}/approvals`);
  await expect(member.getByText('Your role can’t decide risk acceptances and exceptions')).toBeVisible();
});
