import { randomBytes } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readSinkMessages, recipientsOf } from '../lib/testing/smtp-sink';
import { signIn } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { createTestOrg } from './fixtures/orgs';

/** Serious or critical axe findings (WCAG 2.x A/AA), and whether the page spills sideways. */
async function check(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const problems = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  return overflow ? [...problems, 'the page is wider than the window'] : problems;
}

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

test('the mail log and the unsubscribe page pass axe at 1280 and 390 px; unsubscribing records the opt-out', async ({ page }) => {
  test.setTimeout(120_000);
  const org = await createTestOrg(['OWNER', 'MEMBER']);
  const { unsubscribeToken } = await import('../lib/services/mail/unsubscribe-token');
  const { systemDb } = await import('../lib/platform/db/tenant');
  const member = org.users.MEMBER;
  const token = unsubscribeToken({ organizationId: org.id, email: member, category: 'assignment' });

  await signIn(page, org.users.OWNER, `/o/${org.slug}/settings/members`);
  await page.getByLabel('Email', { exact: true }).fill(`log-${randomBytes(3).toString('hex')}@e2e.test`);
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('We e-mailed them the link');
  for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(size);
    await page.goto(`/o/${org.slug}/settings/mail`);
    await expect(page.getByRole('list', { name: 'Mails' }).getByRole('listitem')).toHaveCount(1);
    expect(await check(page), `mail log at ${size.width}px`).toEqual([]);
    await page.goto(`/mail/unsubscribe?t=${encodeURIComponent(token)}`);
    await expect(page.getByRole('heading', { name: /Unsubscribe from finding assignments\?/ })).toBeVisible();
    expect(await check(page), `unsubscribe page at ${size.width}px`).toEqual([]);
  }
  // Opening the link changed nothing; the button does.
  expect(await systemDb().mailOptOut.count({ where: { organizationId: org.id } })).toBe(0);
  await page.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(page.getByRole('heading', { name: 'You are unsubscribed' })).toBeVisible();
  expect(await systemDb().mailOptOut.findMany({ where: { organizationId: org.id }, select: { email: true, category: true } })).toEqual([{ email: member, category: 'assignment' }]);
  // A forged link says so and records nothing.
  await page.goto(`/mail/unsubscribe?t=${encodeURIComponent(`${token.slice(0, -3)}abc`)}`);
  await expect(page.getByRole('heading', { name: 'This unsubscribe link is not valid' })).toBeVisible();
});
