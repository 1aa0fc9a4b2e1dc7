import { randomBytes } from 'node:crypto';
import { expect, test, type Browser } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/** A fresh browser (no app session, no IdP session) for one person. */
async function person(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

async function auditActions(organizationId: string) {
  const { systemDb } = await import('../lib/platform/db/tenant');
  return (await systemDb().auditLog.findMany({ where: { organizationId }, orderBy: { seq: 'asc' }, select: { action: true } })).map((a) => a.action);
}

test('an invited person opens the link, signs in through the IdP, accepts with a click, and the link then works no more', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const org = await createTestOrg(['OWNER']);
  const suffix = randomBytes(3).toString('hex');
  const invitee = `invitee-${suffix}@e2e.test`;

  await signIn(page, org.users.OWNER, `/o/${org.slug}/settings/members`);
  await page.getByLabel('Email', { exact: true }).fill(invitee);
  await page.getByLabel('Role', { exact: true }).selectOption('AUDITOR');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(`${invitee} is invited as auditor`);
  const link = await page.getByLabel('Invitation link').inputValue();
  expect(link).toMatch(/\/invitations\/bwi_/);
  await expect(page.getByText(invitee, { exact: true })).toBeVisible(); // the list row (the notice above it names the address too)

  // Signed out, the link asks for a sign-in and comes back to itself.
  const them = await person(browser);
  await them.page.goto(link);
  await expect(them.page).toHaveURL(/\/sign-in\?callbackUrl=%2Finvitations%2Fbwi_/);
  await signIn(them.page, invitee, new URL(link).pathname);
  await expect(them.page.getByRole('heading', { name: `Join ${org.name}` })).toBeVisible();
  await expect(them.page.getByText('You are invited to')).toContainText('Auditor');
  // Signing in granted nothing by itself.
  expect(await auditActions(org.id)).not.toContain('invitation.accepted');
  await them.page.getByRole('button', { name: `Accept and join ${org.name}` }).click();
  await expect(them.page).toHaveURL(new RegExp(`/o/${org.slug}$`));

  await them.page.goto(link);
  await expect(them.page.getByRole('heading', { name: 'This invitation has already been used' })).toBeVisible();
  expect(await auditActions(org.id)).toEqual(expect.arrayContaining(['invitation.created', 'invitation.accepted']));

  // The owner sees the new member, how they sign in, and that they joined through the invitation.
  await page.reload();
  const row = page.getByRole('row', { name: new RegExp(invitee) });
  await expect(row).toContainText('Invitation');
  await expect(row).toContainText('Auditor');
  await them.context.close();
});

test('someone else\'s, a revoked and an expired invitation link each say why, and grant nothing', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const org = await createTestOrg(['OWNER', 'VIEWER']);
  const { systemDb } = await import('../lib/platform/db/tenant');
  const { newInvitationLink } = await import('../lib/platform/auth/invitation-link');
  const suffix = randomBytes(3).toString('hex');
  const invitee = `late-${suffix}@e2e.test`;

  // Someone else's: the org's viewer opens a link made for another address.
  await signIn(page, org.users.OWNER, `/o/${org.slug}/settings/members`);
  await page.getByLabel('Email', { exact: true }).fill(`someone-${suffix}@e2e.test`);
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const othersLink = await page.getByLabel('Invitation link').inputValue();
  const viewer = await person(browser);
  await signIn(viewer.page, org.users.VIEWER, new URL(othersLink).pathname);
  await expect(viewer.page.getByRole('heading', { name: 'This invitation is for someone else' })).toBeVisible();
  await expect(viewer.page.getByText('Nothing was granted.')).toBeVisible();
  await viewer.context.close();

  // Revoked by the owner: the link stops working at once.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: `Revoke the invitation of someone-${suffix}@e2e.test` }).click();
  await expect(page.getByRole('listitem').filter({ hasText: `someone-${suffix}@e2e.test` })).toContainText('revoked');
  const revoked = await person(browser);
  await revoked.page.goto(othersLink);
  await expect(revoked.page.getByRole('heading', { name: 'This invitation was withdrawn' })).toBeVisible();
  await revoked.context.close();

  // Expired: made eight days ago with the default seven-day expiry.
  const made = newInvitationLink(7, new Date(Date.now() - 8 * 86_400_000));
  await systemDb().invitation.create({ data: { organizationId: org.id, email: invitee, role: 'ADMIN', ...made.stored } });
  const late = await person(browser);
  await late.page.goto(`/invitations/${made.token}`);
  await expect(late.page.getByRole('heading', { name: 'This invitation has expired' })).toBeVisible();
  await late.context.close();

  expect(await systemDb().membership.count({ where: { organizationId: org.id } })).toBe(2);
  expect(await auditActions(org.id)).toEqual(expect.arrayContaining(['invitation.revoked', 'invitation.expired']));
  await page.reload();
  await expect(page.getByText(invitee)).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: invitee })).toContainText('expired');
});

test('a member removed while signed in loses the organization on the next request, and a role change counts at once', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const org = await createTestOrg(['OWNER', 'ADMIN']);
  const member = await person(browser);
  await signIn(member.page, org.users.ADMIN, `/o/${org.slug}/settings/members`);
  await expect(member.page.getByRole('heading', { name: 'Invite someone' })).toBeVisible();

  await signIn(page, org.users.OWNER, `/o/${org.slug}/settings/members`);
  const row = page.getByRole('row', { name: new RegExp(org.users.ADMIN) });
  await row.getByLabel(`Role of ${org.users.ADMIN}`).selectOption('VIEWER');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await expect.poll(async () => {
    await member.page.reload();
    return member.page.getByRole('heading', { name: 'Invite someone' }).count();
  }, { timeout: 15_000 }).toBe(0);

  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: `Remove ${org.users.ADMIN}` }).click();
  await expect(page.getByRole('row', { name: new RegExp(org.users.ADMIN) })).toHaveCount(0);
  const response = await member.page.goto(`/o/${org.slug}`);
  expect(response?.status()).toBe(404);
  await member.context.close();
});
