import { expect, test, type Page } from '@playwright/test';
import { readSinkMessages, recipientsOf } from '../lib/testing/smtp-sink';
import { agentPush } from './fixtures/agent';
import { signIn } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { createTestOrg } from './fixtures/orgs';

type Finding = { id: string; controlId: string; resourceName: string };

async function findings(page: Page, slug: string): Promise<Finding[]> {
  return ((await (await page.request.get(`/api/v1/orgs/${slug}/findings?limit=200`)).json()) as { items: Finding[] }).items;
}

/** Digest mails that reached the stack's SMTP sink for one address. */
async function digestsTo(address: string) {
  return (await readSinkMessages(E2E.mailDir)).filter((mail) => recipientsOf(mail).includes(address) && /Your (daily|weekly) digest/.test(mail.subject ?? ''));
}

/**
 * Issue 20: a member turns on a weekly digest on their own profile page; the digest tick (the maintenance job the
 * worker runs every 15 minutes, put on the worker's maintenance queue here instead of waiting) mails it through
 * the fair per-organization queue and the SMTP server; its link opens the finding assigned to them, its
 * unsubscribe link names digests. Only the member who chose a digest gets one.
 */
test('a member chooses a weekly digest on their profile; the digest job mails the finding assigned to them', async ({ browser }) => {
  test.setTimeout(180_000);
  const org = await createTestOrg(['OWNER', 'MEMBER']);
  const { systemDb } = await import('../lib/platform/db/tenant');
  const member = await systemDb().user.findFirstOrThrow({ where: { email: org.users.MEMBER }, select: { id: true } });

  // The owner connects a cluster and assigns a finding to the member.
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, org.users.OWNER);
  const created = await owner.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'digest' } });
  const { token } = (await created.json()) as { token: string };
  await agentPush(token, 'e2e/fixtures/manifests/shop');
  await expect.poll(async () => (await findings(owner, org.slug)).length, { timeout: 45_000 }).toBeGreaterThan(0);
  const finding = (await findings(owner, org.slug)).find((f) => f.controlId === 'workload.privileged-container') ?? (await findings(owner, org.slug))[0]!;
  await owner.goto(`/o/${org.slug}/findings/${finding.id}`);
  await owner.locator('summary', { hasText: /^Assign$/ }).click();
  await owner.getByLabel('Assign to person').selectOption(member.id);
  await owner.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(owner.getByText('Assignment saved on 1 finding.')).toBeVisible();

  // The member's profile: no digest until they choose one; a weekly one in their zone, shown after saving.
  const page = await (await browser.newContext({ timezoneId: 'Europe/Berlin' })).newPage();
  await signIn(page, org.users.MEMBER, `/o/${org.slug}/settings/profile`);
  await expect(page.getByTestId('digest-current')).toContainText('No digest');
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Berlin'); // the browser's zone is offered
  await page.getByLabel('Digest', { exact: true }).selectOption('weekly');
  await page.getByRole('button', { name: 'Save digest' }).click();
  await expect(page.getByRole('status')).toContainText('Saved: Weekly, Mondays at 08:00 (Europe/Berlin).');
  await expect(page.getByTestId('digest-current')).toContainText('Weekly, Mondays at 08:00 (Europe/Berlin)');
  await page.reload();
  await expect(page.getByTestId('digest-current')).toContainText('Weekly, Mondays at 08:00 (Europe/Berlin)');
  await expect(page.getByLabel('Digest', { exact: true })).toHaveValue('weekly');

  // The digest tick, as the worker's scheduler runs it: the maintenance queue's send-digests job.
  const { closeProducers, queueFor } = await import('../lib/platform/queue/producers');
  const { JOBS, QUEUES } = await import('../lib/platform/queue/jobs');
  await queueFor(QUEUES.maintenance).add(JOBS.sendDigests, {});
  await closeProducers();
  await expect.poll(async () => (await digestsTo(org.users.MEMBER)).length, { timeout: 90_000, intervals: [1_000] }).toBe(1);
  const [mail] = await digestsTo(org.users.MEMBER);
  expect(mail!.subject).toBe(`[${org.name}] Your weekly digest: 1 open finding`);
  expect(mail!.text).toContain('Open findings assigned to you: 1');
  const link = mail!.text!.match(new RegExp(`https?://\\S+/o/${org.slug}/findings/${finding.id}`))?.[0];
  expect(link, 'the digest links the assigned finding').toBeTruthy();
  expect(mail!.html).toContain(`href="${link}"`);
  // The owner chose no digest: the run wrote a digest for the member only.
  const digests = await systemDb().mailMessage.findMany({ where: { organizationId: org.id, category: 'digest' }, select: { recipient: true } });
  expect(digests).toEqual([{ recipient: org.users.MEMBER }]);

  // The link opens the finding for the signed-in member; the unsubscribe link is about digests.
  await page.goto(new URL(link!).pathname);
  await expect(page.getByText(finding.resourceName).first()).toBeVisible();
  const unsubscribe = mail!.text!.match(/Unsubscribe from these e-mails: (\S+)/)?.[1];
  await page.goto(new URL(unsubscribe!).pathname + new URL(unsubscribe!).search);
  await expect(page.getByRole('heading', { name: /Unsubscribe from your daily or weekly digest\?/ })).toBeVisible();
});
