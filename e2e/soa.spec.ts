import { expect, test, type Page } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { agentPush } from './fixtures/agent';

// The Statement of Applicability (issue 19), as an admin uses it: from the navigation to the ISO 27001 SoA, A.5.1
// applicable with an owner, a people control excluded (refused first without a justification), version 1 approved
// with a note; the statuses in the one vocabulary, at a phone's and a laptop's width; invisible to another organization.

const ISO = 'iso27001-2022';

/** Anything sticking out of the page sideways (outside a scrolling container). */
async function sideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    if (doc.scrollWidth <= doc.clientWidth) return [];
    const scrolls = (el: Element) => {
      for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(node).overflowX)) return true;
      }
      return false;
    };
    return [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1 && !scrolls(el))
      .slice(0, 5).map((el) => `${el.tagName} "${(el.textContent ?? '').trim().slice(0, 40)}"`);
  });
}

test('an admin decides the ISO 27001 SoA, approves version 1, and the page shows each requirement\'s status', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const org = await createTestOrg(['ADMIN', 'MEMBER']);
  const memberName = `Member ${org.users.MEMBER.split('@')[0]!.replace('member-', '')}`;
  await signIn(page, org.users.ADMIN);
  const created = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'prod' } });
  expect(created.status()).toBe(201);
  await agentPush(((await created.json()) as { token: string }).token, 'e2e/fixtures/manifests/shop');

  // From the navigation: Controls, then the framework's SoA.
  await page.goto(`/o/${org.slug}`);
  await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Controls' }).click();
  await page.getByRole('link', { name: 'ISO/IEC 27001:2022 Annex A: SoA' }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/controls/soa/${ISO}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statement of Applicability: ISO/IEC 27001:2022 Annex A');

  // Once the snapshot is evaluated, the privileged storefront fails A.8.2 (privileged access rights).
  const status = (id: string) => page.getByTestId(`soa-row-${id}`).locator('[data-status]');
  await expect.poll(async () => {
    await page.reload();
    return status('A.8.2').getAttribute('data-status');
  }, { timeout: 60_000 }).toBe('failed');
  await expect(status('A.8.2')).toHaveText('Failed');
  // A policy control no cluster speaks to: applicable by default, not assessed by Bulwark (never "not applicable").
  const a51 = page.getByTestId('soa-row-A.5.1');
  await expect(status('A.5.1')).toHaveText('Not assessed by Bulwark');
  await expect(a51).toContainText('Applicable (default)');
  await expect(page.getByRole('main')).not.toContainText(/not applicable/i);

  // A.5.1 applicable, owned by the member, in progress.
  await page.getByRole('link', { name: 'Edit A.5.1', exact: true }).click();
  const form = page.getByRole('form', { name: 'Decision for A.5.1' });
  await form.getByLabel('Applicability', { exact: true }).selectOption('applicable');
  await form.getByLabel('Owner', { exact: true }).selectOption({ label: memberName });
  await form.getByLabel('Implementation status').selectOption({ label: 'In progress' });
  await form.getByRole('button', { name: 'Save decision' }).click();
  await expect(form).toHaveCount(0);
  await expect(a51).toContainText(memberName);
  await expect(a51).toContainText('In progress');
  await expect(a51).toContainText('changed in draft');
  await expect(a51).not.toContainText('(default)');

  // Excluding A.7.1 without a justification is refused on the field; with one it is recorded.
  await page.getByRole('link', { name: 'Edit A.7.1', exact: true }).click();
  const exclusion = page.getByRole('form', { name: 'Decision for A.7.1' });
  await exclusion.getByLabel('Applicability', { exact: true }).selectOption('excluded');
  await exclusion.getByRole('button', { name: 'Save decision' }).click();
  const justification = exclusion.getByLabel('Justification (required)');
  await expect(justification).toHaveAttribute('aria-invalid', 'true');
  await expect(exclusion.locator('#soa-justification-error')).toHaveText('A justification is required to exclude a requirement');
  await expect(status('A.7.1')).toHaveText('Not assessed by Bulwark');
  await justification.fill('All workloads run in a cloud region: we operate no premises.');
  await exclusion.getByRole('button', { name: 'Save decision' }).click();
  await expect(exclusion).toHaveCount(0);
  await expect(status('A.7.1')).toHaveText('Excluded');
  await expect(page.getByTestId('soa-row-A.7.1')).toContainText('All workloads run in a cloud region: we operate no premises.');
  await expect(page.getByTestId('soa-version')).toContainText('2 requirements changed in the draft: A.5.1, A.7.1.');

  // Approve the draft as version 1.
  await page.getByLabel('Approval note').fill('For the 2027 ISO audit');
  await page.getByRole('button', { name: 'Approve as version 1' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Version 1 approved.' })).toBeVisible();
  await expect(page.getByTestId('soa-version')).toContainText(`Version 1, approved by ${org.users.ADMIN}`);
  await expect(page.getByTestId('soa-version')).toContainText('The draft is the same as the approved version.');
  await expect(page.getByTestId('soa-versions')).toContainText('For the 2027 ISO audit');
  await expect(page.getByRole('button', { name: 'Approve as version 2' })).toBeDisabled();
  await expect(page.getByTestId('soa-count-excluded')).toHaveText('1');
  await expect(page.getByTestId('soa-coverage')).toContainText(/automated [\d.]+% of \d+ assessed requirements; .*1 excluded/);

  // The dashboard says what the ISO score covers.
  await page.goto(`/o/${org.slug}`);
  await expect(page.getByTestId(`coverage-${ISO}`)).toContainText(/Covers: automated [\d.]+% of \d+ assessed requirements; .*1 excluded/);

  // A phone's width and a laptop's: nothing scrolls sideways.
  for (const size of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
    await page.setViewportSize(size);
    await page.goto(`/o/${org.slug}/controls/soa/${ISO}`);
    await expect(status('A.7.1')).toHaveText('Excluded');
    expect(await sideways(page), `${size.width}px`).toEqual([]);
  }

  // Someone of another organization: the same 404 as no such page.
  const stranger = await createTestOrg(['OWNER']);
  const context = await browser.newContext();
  const other = await context.newPage();
  await signIn(other, stranger.users.OWNER);
  const response = await other.goto(`/o/${org.slug}/controls/soa/${ISO}`);
  expect(response?.status()).toBe(404);
  await expect(other.getByRole('main')).not.toContainText('For the 2027 ISO audit');
  await context.close();
});
