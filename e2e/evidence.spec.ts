import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

// Evidence for a requirement no cluster shows (issue 19): the owner uploads a policy PDF to ISO 27001 A.5.1, cannot
// accept it themselves (four eyes), a second admin accepts it, and the requirement shows evidence provided. The
// file downloads as an attachment with its name. The page works at a phone's and a laptop's width.

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

/** Anything sticking out of the page sideways (outside a scrolling container). */
async function sideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    if (doc.scrollWidth <= doc.clientWidth) return [];
    return [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1)
      .slice(0, 5).map((el) => `${el.tagName} "${(el.textContent ?? '').trim().slice(0, 40)}"`);
  });
}

test('the owner uploads a policy PDF to A.5.1, a second admin accepts it, and A.5.1 shows evidence provided', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const org = await createTestOrg(['OWNER', 'ADMIN']);
  const path = `/o/${org.slug}/controls/requirements/iso27001-2022/A.5.1`;

  await signIn(page, org.users.OWNER, path);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A.5.1: Policies for information security');
  await expect(page.getByTestId('evidence-state')).toHaveText('No evidence');

  // An HTML page is refused by its content, whatever its name says.
  const form = page.getByRole('form', { name: 'Add evidence' });
  await form.getByLabel('Title').fill('Information security policy v3');
  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'policy.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!doctype html><html><body>hi</body></html>') });
  await form.getByRole('button', { name: 'Add evidence' }).click();
  await expect(form.getByRole('alert')).toContainText('This file type is not accepted as evidence: its content is HTML, SVG or XML markup');
  await expect(page.getByTestId('evidence-item')).toHaveCount(0);

  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'policy.pdf', mimeType: 'application/pdf', buffer: PDF });
  await form.getByRole('button', { name: 'Add evidence' }).click();
  await expect(page.getByText('“Information security policy v3” added')).toBeVisible();
  const item = page.getByTestId('evidence-item');
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('evidence-item-status')).toHaveText('Pending review');
  await expect(item).toContainText('policy.pdf');
  await expect(item).toContainText('not reviewed yet');
  // Four eyes: the uploader is offered no accept button.
  await expect(item.getByRole('button', { name: /Accept/ })).toHaveCount(0);
  await expect(page.getByTestId('evidence-state')).toHaveText('No evidence');
  expect(await sideways(page)).toEqual([]);

  const admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(admin, org.users.ADMIN, path);
  await admin.goto(path);
  const adminItem = admin.getByTestId('evidence-item');
  await adminItem.getByRole('button', { name: 'Accept Information security policy v3' }).click();
  await expect(adminItem.getByTestId('evidence-item-status')).toHaveText('Accepted');
  await expect(admin.getByTestId('evidence-state')).toHaveText('Evidence provided');
  await expect(adminItem).toContainText(`Reviewer: ${org.users.ADMIN}`);
  expect(await sideways(admin)).toEqual([]);

  // The file comes back as an attachment with its name and bytes.
  const [download] = await Promise.all([admin.waitForEvent('download'), adminItem.getByRole('link', { name: 'policy.pdf' }).click()]);
  expect(download.suggestedFilename()).toBe('policy.pdf');
  expect((await readFile((await download.path())!)).equals(PDF)).toBe(true);

  // The owner sees the same.
  await page.reload();
  await expect(page.getByTestId('evidence-state')).toHaveText('Evidence provided');
  await expect(item.getByTestId('evidence-item-status')).toHaveText('Accepted');
});

test('an auditor requests evidence on A.5.2 from the admin, they talk in its thread, and accepted evidence closes it', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const org = await createTestOrg(['OWNER', 'ADMIN', 'AUDITOR']);
  const path = `/o/${org.slug}/controls/requirements/iso27001-2022/A.5.2`;
  const adminLabel = `Admin ${org.users.ADMIN.split('@')[0]!.replace('admin-', '')} (${org.users.ADMIN})`;

  await signIn(page, org.users.AUDITOR, path);
  await page.goto(path);
  // Auditors read and ask; they neither upload nor review.
  await expect(page.getByRole('form', { name: 'Add evidence' })).toHaveCount(0);
  const ask = page.getByRole('form', { name: 'Request evidence' });
  await ask.getByLabel('What evidence do you need?').fill('The RACI of information security roles, signed by management.');
  await ask.getByRole('button', { name: 'Request evidence' }).click();
  await expect(ask.getByRole('alert')).toContainText('choose the member to ask');
  await ask.getByLabel('Ask').selectOption({ label: adminLabel });
  await ask.getByRole('button', { name: 'Request evidence' }).click();
  await expect(ask.getByText('Request sent.')).toBeVisible();
  const request = page.getByTestId('evidence-request');
  await expect(request).toContainText('Open');
  await expect(page.getByTestId('evidence-state')).toHaveText('Evidence requested');

  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, org.users.ADMIN, path);
  await admin.goto(`/o/${org.slug}/notifications`);
  await expect(admin.getByRole('main')).toContainText('Evidence requested for A.5.2');
  await admin.goto(path);
  const thread = admin.getByTestId('evidence-request');
  await thread.getByLabel('Comment').fill('HR signs the RACI on Friday; I will attach it here.');
  await thread.getByRole('button', { name: 'Post comment' }).click();
  await expect(thread).toContainText('HR signs the RACI on Friday');
  const form = admin.getByRole('form', { name: 'Add evidence' });
  await form.getByLabel('Kind').selectOption('attestation');
  await form.getByLabel('Title').fill('Roles attestation');
  await form.getByLabel('Attestation', { exact: true }).fill('Information security roles are assigned in the signed RACI of 2026-12-01.');
  await form.getByRole('button', { name: 'Add evidence' }).click();
  await expect(admin.getByTestId('evidence-item')).toContainText('Pending review');

  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, org.users.OWNER, path);
  await owner.goto(path);
  await owner.getByRole('button', { name: 'Accept Roles attestation' }).click();
  await expect(owner.getByTestId('evidence-state')).toHaveText('Evidence provided');

  await page.reload();
  await expect(request).toContainText('Closed: evidence accepted');
  await expect(request).toContainText('HR signs the RACI on Friday');
  await expect(page.getByTestId('evidence-item')).toContainText('Accepted');
});
