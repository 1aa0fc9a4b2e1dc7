import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/**
 * Issue #18: every main page passes axe-core's WCAG 2.0/2.1/2.2 A and AA rules with no serious or critical
 * violation, at laptop width (1280 px) and the dashboard also at a phone's (390 px); every page starts with a
 * "Skip to main content" link; the score charts have a name and a table of their data.
 * Runs on the seeded Acme demo as its owner (the role that sees the most pages and controls).
 */

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

type Violation = { page: string; width: number; rule: string; impact: string; help: string; helpUrl: string; targets: string[] };

/** Runs axe on the page as it is now; returns its serious and critical violations, one entry per rule. */
async function audit(page: Page, label: string): Promise<Violation[]> {
  const width = page.viewportSize()?.width ?? 0;
  // Folded content (forms in <details>, the charts' tables) is checked too: unfold it first.
  await page.evaluate(() => document.querySelectorAll('details').forEach((details) => { details.open = true; }));
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  for (const v of results.violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical')) {
    console.log(`[axe, not failing] ${width}px ${label}: [${v.impact}] ${v.id} on ${v.nodes.length} element(s): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      page: label,
      width,
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.slice(0, 8).map((node) => `${node.target.join(' ')}${node.failureSummary ? ` — ${node.failureSummary.split('\n').slice(1, 2).join('').trim()}` : ''}`),
    }));
}

function describe(violations: Violation[]): string {
  return violations.map((v) => [
    `${v.width}px ${v.page}: [${v.impact}] ${v.rule} — ${v.help} (${v.helpUrl})`,
    ...v.targets.map((t) => `    ${t}`),
  ].join('\n')).join('\n');
}

/** Opens a page and waits until it has rendered (heading shown, client components hydrated, no requests pending). */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await page.waitForLoadState('networkidle');
}

/** The first Tab lands on a visible "Skip to main content" link, which moves the focus to the page's main region. */
async function expectSkipLink(page: Page, where: string): Promise<void> {
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip, `${where}: the first Tab lands on the skip link`).toBeFocused();
  await expect(skip, `${where}: the skip link shows when focused`).toBeVisible();
  const box = await skip.boundingBox();
  expect(box && box.width > 20 && box.height > 10 && box.y >= 0, `${where}: the skip link is on screen`).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main'), `${where}: the skip link moves the focus to main`).toBeFocused();
}

/** The Acme demo's main pages, with one finding, cluster and ticket of its own. */
async function orgPages(page: Page): Promise<string[]> {
  await page.goto('/o/acme/findings');
  const finding = await page.getByRole('table').locator('tbody tr').first().getByRole('link').first().getAttribute('href');
  await page.goto('/o/acme/clusters');
  const cluster = await page.getByRole('main').getByRole('link', { name: 'prod', exact: true }).getAttribute('href');
  await page.goto('/o/acme/tickets');
  const ticket = await page.getByRole('table').locator('tbody tr').first().getByRole('link').first().getAttribute('href');
  expect([finding, cluster, ticket], 'the demo has a finding, a cluster and a ticket').not.toContain(null);
  const base = '/o/acme';
  return [
    base,
    `${base}/findings`, finding!,
    `${base}/clusters`, cluster!, `${base}/clusters/new`,
    `${base}/scores/cis-k8s-1.9`, `${base}/scores/iso27001-2022`,
    `${base}/controls`, `${base}/controls?framework=cis-k8s-1.9`, `${base}/controls?framework=iso27001-2022`,
    `${base}/controls/soa/iso27001-2022`, `${base}/controls/requirements/iso27001-2022/A.5.1`,
    `${base}/tickets`, ticket!,
    `${base}/approvals`,
    `${base}/reports`,
    `${base}/audit`,
    `${base}/notifications`,
    `${base}/settings`, `${base}/settings/members`, `${base}/settings/teams`, `${base}/settings/api-tokens`,
    `${base}/settings/idp-groups`, `${base}/settings/sso`, `${base}/settings/profile`,
    `${base}/findings/00000000-0000-0000-0000-000000000000`, // a 404 inside the organization
    '/sign-out',
  ];
}

test('the public pages: no serious or critical axe violation, and a skip link first', async ({ page }) => {
  await page.setViewportSize(LAPTOP);
  const violations: Violation[] = [];
  for (const path of ['/', '/sign-in', '/verify', '/no-such-page']) {
    await open(page, path);
    violations.push(...(await audit(page, path)));
    await expectSkipLink(page, path);
  }
  await page.setViewportSize(PHONE);
  await open(page, '/sign-in');
  violations.push(...(await audit(page, '/sign-in')));
  expect(violations.length, `serious or critical axe violations:\n${describe(violations)}`).toBe(0);
});

test('the organization\'s main pages: no serious or critical axe violation at 1280 px, the dashboard also at 390 px', async ({ page }) => {
  test.setTimeout(420_000);
  await signIn(page, 'owner@acme.test');
  await page.setViewportSize(LAPTOP);
  const paths = await orgPages(page);
  const violations: Violation[] = [];
  for (const path of paths) {
    await open(page, path);
    violations.push(...(await audit(page, path)));
  }
  await page.setViewportSize(PHONE);
  await open(page, '/o/acme');
  violations.push(...(await audit(page, '/o/acme')));
  expect(violations.length, `serious or critical axe violations:\n${describe(violations)}`).toBe(0);
});

test('the dashboard: a skip link first, score charts with a name and their data as a table', async ({ page }) => {
  await signIn(page, 'owner@acme.test');
  await page.setViewportSize(LAPTOP);
  await open(page, '/o/acme');
  await expectSkipLink(page, '/o/acme');

  const chart = page.getByRole('img', { name: /CIS Kubernetes Benchmark.*score trend/ });
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAccessibleName(/\d+ days: from [\d.]+% on \d{4}-\d\d-\d\d to latest [\d.]+% on \d{4}-\d\d-\d\d/);
  const card = page.getByTestId('score-cis-k8s-1.9').locator('xpath=ancestor::section[1]');
  await card.getByText('Show as table').click();
  const table = card.getByRole('table', { name: /CIS Kubernetes Benchmark.*score by day/ });
  await expect(table).toBeVisible();
  expect(await table.locator('tbody tr').count(), 'a row per day of the demo\'s 30 days of history').toBeGreaterThanOrEqual(7);
  await expect(table.locator('tbody tr').last()).toContainText('%');
});

async function person(browser: Browser) {
  const context = await browser.newContext({ viewport: LAPTOP });
  return { context, page: await context.newPage() };
}

test('the invitation page: no serious or critical axe violation, and a skip link first', async ({ browser }) => {
  test.setTimeout(120_000);
  const org = await createTestOrg(['OWNER']);
  const { systemDb } = await import('../lib/platform/db/tenant');
  const { newInvitationLink } = await import('../lib/platform/auth/invitation-link');
  const invitee = `a11y-${Date.now().toString(36)}@e2e.test`;
  const made = newInvitationLink(7, new Date());
  await systemDb().invitation.create({ data: { organizationId: org.id, email: invitee, role: 'MEMBER', ...made.stored } });

  const them = await person(browser);
  await signIn(them.page, invitee, `/invitations/${made.token}`);
  await open(them.page, `/invitations/${made.token}`);
  await expect(them.page.getByRole('heading', { name: `Join ${org.name}` })).toBeVisible();
  const violations = await audit(them.page, '/invitations/<token>');
  expect(violations.length, `serious or critical axe violations:\n${describe(violations)}`).toBe(0);
  await expectSkipLink(them.page, '/invitations/<token>');
  await them.context.close();
});
