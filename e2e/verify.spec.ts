import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

const OUT = 'artifacts/e2e/verify';

/**
 * Issue 19: anyone holding a report checks it on the public /verify page, signed out: the PDF an auditor
 * downloaded is confirmed with its organization, framework and period and a valid signature; the same file with
 * one byte changed is not.
 */
test('a downloaded PDF report is confirmed on /verify signed out, and a copy with one changed byte is rejected', async ({ browser }) => {
  mkdirSync(OUT, { recursive: true });
  const org = await createTestOrg(['AUDITOR']);
  const auditor = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await signIn(auditor, org.users.AUDITOR);
  await auditor.goto(`/o/${org.slug}/reports`);
  await auditor.getByLabel('Framework').selectOption('iso27001-2022');
  await auditor.getByLabel('Format').selectOption('PDF');
  const start = await auditor.getByLabel('Period start').inputValue();
  const end = await auditor.getByLabel('Period end').inputValue();
  await auditor.getByRole('button', { name: 'Generate report' }).click();
  const row = auditor.getByRole('row').filter({ hasText: 'ISO/IEC 27001' }).filter({ hasText: 'PDF' }).first();
  await expect(row.getByRole('link', { name: /Download/ })).toBeVisible({ timeout: 90_000 });
  const response = await auditor.request.get((await row.getByRole('link', { name: /Download/ }).getAttribute('href')) ?? '');
  expect(response.status()).toBe(200);
  const pdf = await response.body();
  writeFileSync(`${OUT}/report.pdf`, pdf);
  await auditor.context().close();

  // A stranger with the file: no session at all.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto('/verify');
  await expect(page.getByRole('heading', { name: 'Verify a report' })).toBeVisible();
  await page.getByLabel('Choose a file').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf });
  const result = page.getByRole('region', { name: 'Issued by this Bulwark, unchanged' });
  await expect(result).toBeVisible({ timeout: 30_000 });
  await expect(result).toContainText(org.name);
  await expect(result).toContainText('ISO/IEC 27001:2022 Annex A');
  await expect(result).toContainText(`${start} to ${end}`);
  await expect(result).toContainText('Valid, by the certificate this Bulwark signs reports with');
  await expect(page.getByText(org.slug)).toHaveCount(0);
  await page.screenshot({ path: `${OUT}/confirmed-390.png`, fullPage: true });

  // One byte of the cover's metadata changed: the file is no longer the one Bulwark issued.
  const changed = Buffer.from(pdf);
  const at = changed.indexOf('/Title (') + 10;
  changed[at] = changed[at]! ^ 0x20;
  await page.getByLabel('Choose a file').setInputFiles({ name: 'report-edited.pdf', mimeType: 'application/pdf', buffer: changed });
  const rejected = page.getByRole('region', { name: 'Not issued by this Bulwark, or changed' });
  await expect(rejected).toBeVisible({ timeout: 30_000 });
  await expect(rejected).not.toContainText(org.name);
  await expect(page.getByRole('region', { name: 'Issued by this Bulwark, unchanged' })).toHaveCount(0);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${OUT}/rejected-1280.png`, fullPage: true });
  await context.close();
});
