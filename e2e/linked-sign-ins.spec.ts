import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { DEV_PASSWORD, signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

test('a signed-in person links a second sign-in explicitly, signs in with it as themselves, and unlinking ends their session', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const org = await createTestOrg(['OWNER', 'MEMBER']);
  const second = `second-${randomBytes(3).toString('hex')}@e2e.test`;
  const profile = `/o/${org.slug}/settings/profile`;

  // The second address alone is a stranger: signing in with it first would make a new user (see identities tests);
  // here it is linked from the member's own profile, at the IdP's login prompt.
  await signIn(page, org.users.MEMBER, profile);
  await expect(page.getByTestId('linked-sign-in')).toHaveCount(1);
  await page.getByRole('button', { name: /^Link another sign-in at/ }).first().click();
  await page.getByLabel('Email').fill(second);
  await page.getByLabel('Password').fill(DEV_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === profile, { timeout: 30_000 });
  await expect(page.getByTestId('linked-sign-in')).toHaveCount(2);
  await expect(page.getByTestId('linked-sign-in').filter({ hasText: second })).toContainText('this session');

  // In a fresh browser, the linked sign-in is the member, with their organization.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, second, `/o/${org.slug}`);
  await expect(otherPage).toHaveURL(new RegExp(`/o/${org.slug}$`));

  // Unlinking the first sign-in ends every session of the person, this one and the other browser's.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('linked-sign-in').filter({ hasText: org.users.MEMBER }).getByRole('button', { name: /^Unlink/ }).click();
  await page.waitForURL(/\/sign-in/);
  await page.goto(`/o/${org.slug}`);
  await expect(page).toHaveURL(/\/sign-in/);
  await otherPage.goto(`/o/${org.slug}`);
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await other.close();
});
