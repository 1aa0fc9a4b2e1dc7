import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { E2E } from './fixtures/env';

// Sign-ins in the audit log: the real OIDC flow writes them, the audit page shows them with their method.

test('after signing in through the platform IdP, the audit log shows the sign-in with its method and provider', async ({ page }) => {
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER, `/o/${org.slug}`);
  await page.goto(`/o/${org.slug}/audit`);
  await page.getByLabel('Action (or prefix)').fill('sign_in.');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=sign_in\./);
  const row = page.getByRole('row').filter({ hasText: 'sign_in.succeeded' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(org.users.OWNER);
  await expect(row).toContainText('method: "platform"');
  await expect(row).toContainText('provider: "oidc"');
  await expect(row).toContainText(`issuer: "${E2E.issuer}"`);
  await expect(row).toContainText('access: "member"');
});

test('a sign-in through Acme\'s SSO connection and one its IdP refused are in Acme\'s audit log, with the reason', async ({ page, browser }) => {
  const provider = `sso-${E2E.acmeConnectionId}`;
  // The IdP sends the browser back with an error (the person cancelled, or the IdP denied them).
  const refused = await (await browser.newContext()).newPage();
  await refused.goto(`/api/auth/callback/${provider}?error=access_denied&error_description=cancelled`);
  await expect(refused).toHaveURL(/\/sign-in\?.*error=Callback/);

  await signIn(page, 'owner@acme.test', '/o/acme'); // @acme.test goes to Acme's own IdP
  await page.goto('/o/acme/audit?action=sign_in.');
  const succeeded = page.getByRole('row').filter({ hasText: 'sign_in.succeeded' }).filter({ hasText: 'owner@acme.test' }).first();
  await expect(succeeded).toContainText('method: "sso"');
  await expect(succeeded).toContainText(`provider: "${provider}"`);
  await expect(succeeded).toContainText(`issuer: "${E2E.acmeIssuer}"`);
  const refusal = page.getByRole('row').filter({ hasText: 'sign_in.refused' }).filter({ hasText: 'idp_refused' }).first();
  await expect(refusal).toContainText('idpError: "access_denied"');
  await expect(refusal).toContainText('system:sign-in');
});
