import { expect, test, type Page } from '@playwright/test';
import { signIn } from './fixtures/auth';

/**
 * The main pages at a phone's width (390 px) and a laptop's (1280 px): no page scrolls sideways, no table hides
 * its last columns behind a scrollbar at laptop width, and sign-out and every navigation item can be reached.
 * Runs on the seeded Acme demo, as its owner (the role that sees the most).
 */

const WIDTHS = [{ width: 390, height: 844 }, { width: 1280, height: 800 }] as const;

type Problem = { page: string; width: number; what: string };

/** Elements that stick out of the page (outside any scrolling container), named so a failure says where. */
async function pageOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    if (doc.scrollWidth <= doc.clientWidth) return [];
    const scrolls = (el: Element | null): boolean => {
      for (let node = el?.parentElement ?? null; node && node !== document.body; node = node.parentElement) {
        const overflow = getComputedStyle(node).overflowX;
        if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden' || overflow === 'clip') return true;
      }
      return false;
    };
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].slice(0, 4).join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const offenders = [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1 && !scrolls(el));
    // The innermost offenders say most: drop an element when one of its children is listed.
    const leaves = offenders.filter((el) => !offenders.some((other) => other !== el && el.contains(other)));
    return [`page is ${doc.scrollWidth}px wide in a ${doc.clientWidth}px window`, ...leaves.slice(0, 6).map(name)];
  });
}

/** Tables whose container cuts off columns (they need a sideways scroll to be read). */
async function clippedTables(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('main table')].flatMap((table) => {
    for (let node = table.parentElement; node && node !== document.body; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === 'visible') continue;
      if (node.scrollWidth > node.clientWidth + 1) {
        const headers = [...table.querySelectorAll('th')].map((th) => (th.textContent ?? '').trim()).filter(Boolean).join(', ');
        return [`table (${headers}) is ${node.scrollWidth}px wide in ${node.clientWidth}px`];
      }
      return [];
    }
    return [];
  }));
}

async function mainPages(page: Page): Promise<string[]> {
  const paths = ['/o/acme', '/o/acme/findings', '/o/acme/clusters', '/o/acme/controls', '/o/acme/tickets', '/o/acme/reports', '/o/acme/audit', '/o/acme/notifications', '/o/acme/settings'];
  await page.goto('/o/acme/findings');
  const finding = await page.getByRole('table').locator('tbody tr').first().getByRole('link').first().getAttribute('href');
  await page.goto('/o/acme/clusters');
  const cluster = await page.getByRole('main').getByRole('link', { name: 'prod', exact: true }).getAttribute('href');
  await page.goto('/o/acme/tickets');
  const ticket = await page.getByRole('table').locator('tbody tr').first().getByRole('link').first().getAttribute('href').catch(() => null);
  return [...paths, ...[finding, cluster, ticket].filter((href): href is string => Boolean(href))];
}

test('the main pages neither scroll sideways nor clip table columns, at 390 px and 1280 px', async ({ page }) => {
  test.setTimeout(420_000);
  await signIn(page, 'owner@acme.test');
  const paths = await mainPages(page);
  const problems: Problem[] = [];
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    for (const path of paths) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      for (const what of await pageOverflow(page)) problems.push({ page: path, width: size.width, what });
      if (size.width >= 1280) for (const what of await clippedTables(page)) problems.push({ page: path, width: size.width, what });
    }
  }
  expect(problems, problems.map((p) => `${p.width}px ${p.page}: ${p.what}`).join('\n')).toEqual([]);
});

test('on a phone, sign-out and every navigation item are on screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'owner@acme.test');
  await page.goto('/o/acme');
  const signOut = page.getByRole('link', { name: 'Sign out' });
  await expect(signOut).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Organization' });
  const links = nav.getByRole('link');
  expect(await links.count()).toBeGreaterThanOrEqual(8);
  for (let i = 0; i < (await links.count()); i += 1) {
    const box = await links.nth(i).boundingBox();
    expect(box, await links.nth(i).innerText()).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, await links.nth(i).innerText()).toBeLessThanOrEqual(390);
  }
  await signOut.click();
  await expect(page).toHaveURL(/sign-out|sign-in|\/$/);
});
