import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { readSinkMessages, recipientsOf } from '../lib/testing/smtp-sink';
import { signIn } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { createTestOrg } from './fixtures/orgs';

/** The mails that reached the stack's SMTP sink for one address (the worker delivers them over real SMTP). */
async function mailsTo(address: string) {
  return (await readSinkMessages(E2E.mailDir)).filter((mail) => recipientsOf(mail).includes(address));
}

test('an admin invites someone by e-mail; the invitee follows the link in the mail, signs in and joins', async ({ page, browser }) => {
  test.setTimeout(150_000);
  const org = await createTestOrg(['OWNER']);
  const invitee = `mailee-${randomBytes(3).toString('hex')}@e2e.test`;

  await signIn(page, org.users.OWNER, `/o/${org.slug}/settings/members`);
  await page.getByLabel('Email', { exact: true }).fill(invitee);
  await page.getByLabel('Role', { exact: true }).selectOption('MEMBER');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(`${invitee} is invited as member. We e-mailed them the link`);

  // The worker sends it to the SMTP server; the test reads what arrived there.
  await expect.poll(async () => (await mailsTo(invitee)).length, { timeout: 60_000, intervals: [500] }).toBe(1);
  const [mail] = await mailsTo(invitee);
  expect(mail!.subject).toBe(`You are invited to ${org.name} on Bulwark`);
  expect(mail!.from?.text).toContain('bulwark@e2e.test');
  const link = mail!.text!.match(/https?:\/\/\S+\/invitations\/bwi_\S+/)?.[0];
  expect(link, 'the text body carries the invitation link').toBeTruthy();
  expect(mail!.html).toContain(`href="${link}"`);
  expect(mail!.text).not.toContain('nsubscribe'); // invitations are transactional

  // The invitee, in their own browser, follows the mailed link: sign in, accept, in.
  const context = await browser.newContext();
  const them = await context.newPage();
  await them.goto(link!);
  await expect(them).toHaveURL(/\/sign-in\?callbackUrl=%2Finvitations%2Fbwi_/);
  await signIn(them, invitee, new URL(link!).pathname);
  await expect(them.getByRole('heading', { name: `Join ${org.name}` })).toBeVisible();
  await them.getByRole('button', { name: `Accept and join ${org.name}` }).click();
  await expect(them).toHaveURL(new RegExp(`/o/${org.slug}$`));
  // The link worked once.
  await them.goto(link!);
  await expect(them.getByRole('heading', { name: 'This invitation has already been used' })).toBeVisible();
  await context.close();

  // The owner sees the mail in Settings → Mail, sent.
  await page.goto(`/o/${org.slug}/settings/mail`);
  const entry = page.getByRole('list', { name: 'Mails' }).getByRole('listitem').filter({ hasText: invitee });
  await expect(entry).toContainText('Sent');
  await expect(entry).toContainText(`You are invited to ${org.name} on Bulwark`);
  await expect(entry).not.toContainText('bwi_');
});
