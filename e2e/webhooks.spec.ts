import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { startReceiver } from '../lib/services/webhooks/test-receiver';
import { loopbackTls } from '../lib/testing/loopback-tls';

// Settings → Integrations (issue 20), as an admin uses it: a Slack-format webhook pointed at an https receiver this
// spec runs on 127.0.0.1 (the e2e stack allows loopback and trusts its certificate: e2e/fixtures/env.ts), its secret
// shown once, "Send test", and the delivery in the log as the real worker delivered it. A member has no tab.

type SlackMessage = { text: string; blocks: { type: string; text?: { type: string; text: string }; elements?: { type: string; text: string }[] }[] };

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

/** axe-core's serious and critical WCAG 2.x A/AA violations on the page as it is now (as e2e/accessibility.spec.ts). */
async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('an admin creates a Slack-format webhook, sends a test, and sees it delivered in the log', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const receiver = await startReceiver(() => 200, { tls: loopbackTls() });
  try {
    const org = await createTestOrg(['OWNER', 'ADMIN', 'MEMBER']);
    await signIn(page, org.users.ADMIN);
    await page.goto(`/o/${org.slug}/settings`);
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Integrations' }).click();
    await expect(page.getByText('No webhooks yet.')).toBeVisible();

    // An internal address is refused, naming the field.
    await page.getByLabel('URL').fill('https://169.254.169.254/latest/meta-data');
    await page.getByLabel('Format').selectOption('SLACK');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expect(page.getByLabel('URL')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('alert').filter({ hasText: 'URL:' })).toContainText('link-local (cloud metadata) address');

    await page.getByLabel('URL').fill(receiver.url);
    await page.getByRole('checkbox', { name: /Finding resolved/ }).check();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Webhook created.' })).toBeVisible();
    const secret = await page.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect(page.getByLabel('Signing secret')).toHaveCount(0);
    await expect(page.getByText('Slack incoming webhook · enabled')).toBeVisible();
    expect(await page.content()).not.toContain(secret); // shown once, never again

    await page.getByRole('link', { name: 'Manage the webhook to 127.0.0.1' }).click();
    await expect(page.getByText('No deliveries yet.')).toBeVisible();
    await page.getByRole('button', { name: 'Send test' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Test delivery queued' })).toBeVisible();

    // The worker delivers it; the log shows the outcome once the page is loaded again.
    const log = page.getByRole('table', { name: 'Deliveries of this webhook, newest first' });
    await expect.poll(async () => {
      await page.reload();
      return (await log.count()) > 0 ? log.getByRole('row').nth(1).innerText() : '';
    }, { timeout: 60_000 }).toContain('Delivered');
    const row = log.getByRole('row').nth(1);
    await expect(row).toContainText('Test delivery');
    await expect(row.getByRole('cell').nth(3)).toHaveText('200');
    await expect(row).toContainText(/\d+ ms/);

    // What Slack would have received: a text line and blocks, with the Standard Webhooks headers beside it.
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    const message = JSON.parse(request!.body) as SlackMessage;
    expect(message.text).toBe('[Bulwark] Test delivery from Bulwark');
    expect(message.blocks.map((block) => block.type)).toEqual(['section', 'context']);
    expect(message.blocks[0]?.text).toEqual({ type: 'mrkdwn', text: '*Test delivery from Bulwark*' });
    expect(request!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);

    // The webhook page and the list pass axe; at a phone's width neither spills sideways.
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    expect(await sideways(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '← All webhooks' }).click();
    await expect(page.getByRole('link', { name: /Manage the webhook to 127\.0\.0\.1/ })).toBeVisible();
    expect(await sideways(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await axeViolations(page)).toEqual([]);

    // A member sees no Integrations tab, and the page says who manages it.
    const memberContext = await browser.newContext();
    const memberPage = await memberContext.newPage();
    await signIn(memberPage, org.users.MEMBER);
    await memberPage.goto(`/o/${org.slug}/settings`);
    await expect(memberPage.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Integrations' })).toHaveCount(0);
    await memberPage.goto(`/o/${org.slug}/settings/integrations`);
    await expect(memberPage.getByText('Owners and admins set up this organization')).toBeVisible();
    await memberContext.close();
  } finally {
    await receiver.close();
  }
});
