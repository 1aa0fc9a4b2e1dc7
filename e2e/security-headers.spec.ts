import { expect, test, type Page } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/** Console errors and uncaught errors a page produced: a CSP that blocks Next.js's own scripts shows up here. */
function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

test('pages carry a per-request nonce CSP without unsafe-inline scripts, and still hydrate', async ({ page }) => {
  const problems = collectProblems(page);
  const first = await page.goto('/sign-in');
  const policy = first?.headers()['content-security-policy'] ?? '';
  const scriptSrc = policy.split(';').map((part) => part.trim()).find((part) => part.startsWith('script-src')) ?? '';
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc)?.[1];
  expect(nonce).toBeTruthy();
  expect(scriptSrc).not.toContain('unsafe-inline');
  expect(scriptSrc).not.toContain('unsafe-eval');
  expect(policy).toContain("frame-ancestors 'none'");
  expect(first?.headers()['strict-transport-security']).toBeUndefined(); // APP_URL is http:// here

  // Next.js put this request's nonce on every script it rendered.
  const scripts = await page.locator('script').evaluateAll((nodes) => nodes.map((node) => (node as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(new Set(scripts)).toEqual(new Set([nonce]));

  const second = await page.request.get('/sign-in');
  expect(second.headers()['content-security-policy']).not.toContain(`'nonce-${nonce}'`);

  // The sign-in button only works once React has hydrated; signing in and opening pages must raise no CSP error.
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER, `/o/${org.slug}`);
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}`));
  await page.getByRole('link', { name: 'Clusters' }).first().click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/clusters`));
  expect(problems.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
  expect(problems).toEqual([]);
});

test('a signed-in visit to /sign-in never redirects to another site', async ({ page }) => {
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  for (const callback of ['/%5Cevil.com', '/%5C%5Cevil.com', '%2F%2Fevil.com', '/%09/evil.com', 'https://evil.com', '//evil.com']) {
    const response = await page.request.get(`/sign-in?callbackUrl=${callback}`, { maxRedirects: 0 });
    expect(response.status(), callback).toBeGreaterThanOrEqual(300);
    expect(response.headers().location, callback).toBe('/o');
  }
  const good = await page.request.get(`/sign-in?callbackUrl=${encodeURIComponent(`/o/${org.slug}`)}`, { maxRedirects: 0 });
  expect(good.headers().location).toBe(`/o/${org.slug}`);
});

test('a JSON API route refuses a session-cookie request whose body is not declared as JSON (415)', async ({ page }) => {
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  // What a cross-site HTML form could send along with the session cookie: text/plain, no preflight.
  const forged = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { headers: { 'content-type': 'text/plain' }, data: JSON.stringify({ name: 'forged' }) });
  expect(forged.status()).toBe(415);
  expect(await forged.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  expect(forged.headers()['content-security-policy']).toContain("default-src 'none'");
  const listed = await page.request.get(`/api/v1/orgs/${org.slug}/clusters`);
  expect(JSON.stringify(await listed.json())).not.toContain('forged');
  const real = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'real' } });
  expect(real.status()).toBe(201);
});
