import { expect, test, type Page } from '@playwright/test';
import { agentPush } from './fixtures/agent';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/**
 * Issue #7's journey: triage, team assignment, a risk acceptance that needs a second admin, a ticket from two
 * findings, and an audit log that shows every step in order.
 */
type Finding = { id: string; controlId: string; status: string };

async function findings(page: Page, slug: string): Promise<Finding[]> {
  return ((await (await page.request.get(`/api/v1/orgs/${slug}/findings?limit=200`)).json()) as { items: Finding[] }).items;
}

test('an engineer triages, requests an acceptance they cannot approve, an admin approves, a ticket is opened; the audit log shows it all', async ({ browser }) => {
  test.setTimeout(240_000);
  const org = await createTestOrg(['OWNER', 'ADMIN', 'MEMBER'], { teams: [{ name: 'Platform', members: ['MEMBER'] }] });

  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, org.users.ADMIN);
  const created = await admin.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'workflow' } });
  const { token } = (await created.json()) as { token: string };
  await agentPush(token, 'e2e/fixtures/manifests/shop');
  await expect.poll(async () => (await findings(admin, org.slug)).length, { timeout: 45_000 }).toBeGreaterThan(3);

  // The engineer acknowledges a finding and assigns it to their team.
  const eng = await (await browser.newContext()).newPage();
  await signIn(eng, org.users.MEMBER);
  const all = await findings(eng, org.slug);
  const privileged = all.find((f) => f.controlId === 'workload.privileged-container');
  const others = all.filter((f) => f.id !== privileged?.id).slice(0, 2);
  expect(privileged).toBeDefined();
  await eng.goto(`/o/${org.slug}/findings/${privileged!.id}`);
  await eng.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await expect(eng.getByText('Acknowledged').first()).toBeVisible();
  await eng.locator('summary', { hasText: /^Assign$/ }).click();
  await eng.getByLabel('Assign to team').selectOption({ label: 'Platform' });
  await eng.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(eng.getByText(/assigned it to team Platform/)).toBeVisible();

  // ...requests a risk acceptance...
  await eng.locator('summary', { hasText: 'Request risk acceptance' }).click();
  await eng.getByLabel('Justification').fill('The storefront needs a privileged sidecar for the legacy payment HSM driver until Q3.');
  const inNinetyDays = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
  await eng.getByLabel('Expires on').fill(inNinetyDays);
  await eng.getByRole('button', { name: 'Request risk acceptance' }).click();
  await expect(eng.getByText(/Pending/i).first()).toBeVisible();
  // ...which they cannot approve: a MEMBER has no approve button, and the action itself is refused.
  await eng.reload();
  await expect(eng.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  // An admin approves it: the finding becomes risk accepted.
  await admin.goto(`/o/${org.slug}/findings/${privileged!.id}`);
  await admin.getByRole('button', { name: 'Approve' }).click();
  await expect(admin.getByText(/Risk acceptance approved by/)).toBeVisible();
  await expect.poll(async () => (await findings(admin, org.slug)).find((f) => f.id === privileged!.id)?.status ?? 'RISK_ACCEPTED').toBe('RISK_ACCEPTED');

  // The engineer opens a ticket from two findings, with the bulk action on the list.
  await eng.goto(`/o/${org.slug}/findings`);
  for (const finding of others) {
    await eng.locator(`a[href$="/findings/${finding.id}"]`).first().locator('xpath=ancestor::tr').getByRole('checkbox').check();
  }
  await expect(eng.getByText('2 selected')).toBeVisible();
  await eng.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Open a ticket' }).click();
  await eng.getByLabel('Ticket title').fill('Harden the storefront before the audit');
  await eng.getByRole('button', { name: 'Open ticket' }).click();
  await eng.getByRole('link', { name: /#\d+/ }).first().click();
  await expect(eng.getByRole('heading', { level: 1 })).toContainText('Harden the storefront');

  // The audit log shows every step, in order.
  const ownerPage = await (await browser.newContext()).newPage();
  await signIn(ownerPage, org.users.OWNER);
  await ownerPage.goto(`/o/${org.slug}/audit`);
  const text = (await ownerPage.getByRole('table').innerText()).replace(/\s+/g, ' ');
  const steps = ['cluster.created', 'finding.acknowledged', 'finding.assigned', 'risk_acceptance.requested', 'risk_acceptance.approved', 'ticket.created'];
  const positions = steps.map((step) => text.lastIndexOf(step));
  for (const [index, step] of steps.entries()) expect(positions[index], `${step} in the audit log`).toBeGreaterThanOrEqual(0);
  // Newest first: each step appears before (above) the one that happened earlier.
  for (let i = 1; i < positions.length; i++) expect(positions[i]!, `${steps[i]} listed above ${steps[i - 1]}`).toBeLessThan(positions[i - 1]!);
  await ownerPage.screenshot({ path: 'artifacts/e2e/screenshots/audit-log.png', fullPage: true });
});
