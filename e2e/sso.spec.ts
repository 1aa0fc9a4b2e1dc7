import { writeFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEV_PASSWORD, signIn } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { createTestOrg } from './fixtures/orgs';

// Two real OpenID Connect providers at once: the platform IdP and Acme's own (its seeded SSO connection, with the
// verified domain acme.test). Every journey signs in through the real authorization-code flow.

const ACME_PROVIDER = `sso-${E2E.acmeConnectionId}`;

/** Starts a sign-in through one provider by id, as the sign-in page's buttons do (next-auth's signin POST). */
async function signInThrough(page: Page, providerId: string, email: string, callbackPath = '/o'): Promise<void> {
  await page.goto('/sign-in');
  await page.evaluate(async ({ providerId: id, callbackUrl }) => {
    const { csrfToken } = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
    const response = await fetch(`/api/auth/signin/${id}`, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Auth-Return-Redirect': '1' },
      body: new URLSearchParams({ csrfToken, callbackUrl, json: 'true' }),
    });
    window.location.href = ((await response.json()) as { url: string }).url;
  }, { providerId, callbackUrl: callbackPath });
  await page.waitForURL((url) => url.pathname.startsWith('/interaction'));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEV_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.port === String(E2E.appPort) && !url.pathname.startsWith('/sign-in'), { timeout: 30_000 });
}

async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

async function db() {
  const { systemDb } = await import('../lib/platform/db/tenant');
  return systemDb();
}

test('home realm discovery: an @acme.test address goes to Acme\'s own IdP and lands in Acme', async ({ page }) => {
  await page.goto('/sign-in?callbackUrl=%2Fo%2Facme');
  await page.getByLabel('Work email').fill('engineer@acme.test');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.origin === E2E.acmeIssuer && url.pathname.startsWith('/interaction'));
  await expect(page.getByLabel('Email')).toHaveValue('engineer@acme.test'); // login_hint
  await page.getByLabel('Password').fill(DEV_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/o\/acme/);
  await expect(page.getByRole('heading', { name: /Not found/ })).toHaveCount(0);
  await expect(page.getByRole('navigation').first()).toBeVisible();

  // Anyone else goes to the platform IdP.
  const other = await (await page.context().browser()!.newContext()).newPage();
  await other.goto('/sign-in');
  await other.getByLabel('Work email').fill('someone@globex.test');
  await other.getByRole('button', { name: 'Continue' }).click();
  await other.waitForURL((url) => url.origin === E2E.issuer && url.pathname.startsWith('/interaction'));
});

test('takeover attempt: Acme\'s IdP asserting the address of a platform user makes a separate user with no access', async ({ page }) => {
  const victim = await createTestOrg(['OWNER']);
  const victimEmail = victim.users.OWNER;
  const users = await db();
  const before = await users.user.findMany({ where: { email: victimEmail }, include: { identities: true, memberships: true } });
  expect(before).toHaveLength(1);

  // The admin of a second IdP (here Acme's) signs in as the victim's address.
  await signInThrough(page, ACME_PROVIDER, victimEmail, `/o/${victim.slug}`);
  const response = await page.goto(`/o/${victim.slug}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();

  const after = await users.user.findMany({ where: { email: victimEmail }, include: { identities: true, memberships: true }, orderBy: { createdAt: 'asc' } });
  expect(after).toHaveLength(2);
  expect(after[0]?.identities.map((i) => i.issuer)).toEqual([E2E.issuer]);
  expect(after[0]?.memberships).toHaveLength(1);
  expect(after[1]?.memberships).toHaveLength(0);
});

test('a platform-IdP user whose groups carry Acme\'s mapped group names gets nothing in Acme', async ({ page }) => {
  // groupie@platform.test has groups acme-admins and acme-owners at the platform IdP; Acme maps groups of its own IdP.
  await signIn(page, 'groupie@platform.test');
  const response = await page.goto('/o/acme');
  expect(response?.status()).toBe(404);
  const users = await db();
  const groupie = await users.user.findFirstOrThrow({ where: { email: 'groupie@platform.test' }, include: { memberships: true } });
  expect(groupie.memberships).toEqual([]);
});

test('SSO enforcement: a platform session of an Acme member is refused with the right sign-in offered; Acme\'s IdP gets in', async ({ page, browser }) => {
  const { systemContext } = await import('../lib/platform/auth/context');
  const { setSsoEnforcement } = await import('../lib/services/sso/enforcement');
  const { createUser } = await import('../lib/testing/factories');
  const users = await db();
  const acme = await users.organization.findUniqueOrThrow({ where: { slug: 'acme' } });
  const owner = await users.user.findFirstOrThrow({ where: { email: 'owner@acme.test' }, orderBy: { createdAt: 'asc' } });
  const contractorEmail = `contractor-${Date.now()}@e2e.test`;
  const contractor = await createUser(contractorEmail, 'Contractor', E2E.issuer);
  await users.membership.create({ data: { organizationId: acme.id, userId: contractor.id, role: 'MEMBER' } });
  const ctx = systemContext(acme.id, 'e2e', 'acme');
  await setSsoEnforcement(ctx, { enforced: true, breakGlassUserId: owner.id });
  try {
    await signIn(page, contractorEmail, '/o/acme');
    await page.goto('/o/acme/findings');
    await expect(page).toHaveURL(/\/sso-required\/acme$/);
    await expect(page.getByRole('heading', { name: 'Acme requires single sign-on' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign in with Acme SSO' })).toBeVisible();

    const member = await freshPage(browser);
    await signIn(member, 'auditor@acme.test', '/o/acme');
    const response = await member.goto('/o/acme');
    expect(response?.status()).toBe(200);
    await expect(member).toHaveURL(/\/o\/acme$/);
  } finally {
    await setSsoEnforcement(ctx, { enforced: false, breakGlassUserId: owner.id });
    await users.membership.deleteMany({ where: { organizationId: acme.id, userId: contractor.id } });
  }
});

test('removing a member ends their live session at the next request', async ({ page }) => {
  const org = await createTestOrg(['OWNER', 'MEMBER']);
  await signIn(page, org.users.MEMBER, `/o/${org.slug}`);
  expect((await page.goto(`/o/${org.slug}`))?.status()).toBe(200);
  const users = await db();
  const member = await users.user.findFirstOrThrow({ where: { email: org.users.MEMBER } });
  await users.membership.deleteMany({ where: { organizationId: org.id, userId: member.id } });
  expect((await page.goto(`/o/${org.slug}`))?.status()).toBe(404);
});

test('disabling a connection ends the sessions that came through it', async ({ page }) => {
  const { systemContext } = await import('../lib/platform/auth/context');
  const { setSsoConnectionEnabled } = await import('../lib/services/sso/connections');
  const users = await db();
  const acme = await users.organization.findUniqueOrThrow({ where: { slug: 'acme' } });
  const ctx = systemContext(acme.id, 'e2e', 'acme');
  await signIn(page, 'viewer@acme.test', '/o/acme');
  expect((await page.goto('/o/acme'))?.status()).toBe(200);
  await setSsoConnectionEnabled(ctx, { connectionId: E2E.acmeConnectionId, enabled: false });
  try {
    // The web process trusts what it read for a few seconds (lib/services/sso/connection-cache.ts), then signs the session out.
    await expect.poll(async () => { await page.goto('/o/acme'); return new URL(page.url()).pathname; }, { timeout: 20_000, intervals: [1_000] }).toBe('/sign-in');
  } finally {
    await setSsoConnectionEnabled(ctx, { connectionId: E2E.acmeConnectionId, enabled: true });
  }
});

test('an owner claims a domain and verifies it through DNS on the Single sign-on page', async ({ page }) => {
  const org = await createTestOrg(['OWNER']);
  const domain = `${org.slug}.example`;
  await signIn(page, org.users.OWNER, `/o/${org.slug}/settings/sso`);
  await page.goto(`/o/${org.slug}/settings/sso`);
  await page.getByLabel('Domain', { exact: true }).fill(domain);
  await page.getByRole('button', { name: 'Claim domain' }).click();
  const record = page.getByLabel(`TXT record for ${domain}`);
  await expect(record).toHaveValue(/^bulwark-verification=/);
  await page.getByRole('button', { name: `Verify ${domain}` }).click();
  await expect(page.getByText(/No TXT record "bulwark-verification=/)).toBeVisible();

  writeFileSync(E2E.dnsRecordsFile, JSON.stringify({ [domain]: [await record.inputValue()] }));
  await page.getByRole('button', { name: `Verify ${domain}` }).click();
  await expect(page.getByRole('listitem', { name: `Domain ${domain}` })).toContainText('Verified');
  // The same domain is refused to another organization.
  const users = await db();
  expect(await users.verifiedDomain.count({ where: { domain, verifiedAt: { not: null } } })).toBe(1);
});
