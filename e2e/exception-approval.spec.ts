import { expect, test, type Page } from '@playwright/test';
import { agentPush } from './fixtures/agent';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/**
 * Issue #16: a false positive with a namespace-wide exception silences a control for resources nobody looked at,
 * so it needs a second owner or admin, like a risk acceptance. Until then the finding stays open.
 */
type Finding = { id: string; controlId: string; status: string };

async function findings(page: Page, slug: string): Promise<Finding[]> {
  return ((await (await page.request.get(`/api/v1/orgs/${slug}/findings?limit=200`)).json()) as { items: Finding[] }).items;
}

test('an admin asks for a namespace exception, cannot approve it, and an owner approves it on the finding page', async ({ browser }) => {
  test.setTimeout(180_000);
  const org = await createTestOrg(['OWNER', 'ADMIN']);
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, org.users.ADMIN);
  const created = await admin.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'exceptions' } });
  const { token } = (await created.json()) as { token: string };
  await agentPush(token, 'e2e/fixtures/manifests/shop');
  await expect.poll(async () => (await findings(admin, org.slug)).length, { timeout: 45_000 }).toBeGreaterThan(3);
  const privileged = (await findings(admin, org.slug)).find((f) => f.controlId === 'workload.privileged-container');
  expect(privileged).toBeDefined();

  await admin.goto(`/o/${org.slug}/findings/${privileged!.id}`);
  await admin.locator('summary', { hasText: 'Mark as false positive' }).click();
  await admin.getByLabel('Why is this not a real problem?').fill('The shop namespace runs the CSI node plugin, which must be privileged.');
  await admin.getByLabel('Also stop this control from reporting on…').check();
  await admin.getByLabel('this namespace').check();
  await admin.getByLabel('Exception expires on').fill(new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10));
  await admin.getByRole('button', { name: 'Mark as false positive' }).click();
  await expect(admin.getByText('Exception requested. Another owner or admin must approve it')).toBeVisible();
  const requests = admin.locator('section').filter({ has: admin.getByRole('heading', { name: 'Exception requests' }) });
  await expect(requests.getByText('Pending')).toBeVisible();
  expect((await findings(admin, org.slug)).find((f) => f.id === privileged!.id)?.status).toBe('OPEN');

  // The requester is offered the buttons like every admin, and refused with the reason.
  await requests.getByRole('button', { name: 'Approve exception' }).click();
  await expect(admin.getByText('You requested this exception: another owner or admin must decide it')).toBeVisible();

  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, org.users.OWNER);
  await owner.goto(`/o/${org.slug}/findings/${privileged!.id}`);
  await owner.getByRole('button', { name: 'Approve exception' }).click();
  // What stays on the page: the request listed as approved by the owner, and the timeline entry. (The form's own
  // "Exception approved." goes with the form once the page refreshes, so it may be gone before it is looked for.)
  const decided = owner.locator('section').filter({ has: owner.getByRole('heading', { name: 'Exception requests' }) });
  await expect(decided.getByText(/approved by Owner/)).toBeVisible();
  await expect(owner.getByText(/approved the namespace exception/)).toBeVisible();
  await expect.poll(async () => (await findings(owner, org.slug)).find((f) => f.id === privileged!.id)?.status).toBe('RESOLVED');
});
