import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { readSinkMessages, recipientsOf } from '../lib/testing/smtp-sink';
import { signIn } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { createTestOrg } from './fixtures/orgs';

/** Mails of scheduled reports that reached the stack's SMTP sink for one address (the worker sends them over SMTP). */
async function reportMailsTo(address: string) {
  return (await readSinkMessages(E2E.mailDir)).filter((mail) => recipientsOf(mail).includes(address) && (mail.subject ?? '').startsWith('Scheduled report:'));
}

/**
 * Issue 20: an auditor schedules a report (CSV, previous month, Europe/Berlin), runs it now; the report worker
 * generates it, the mail with a signed download link arrives at the SMTP sink (no attachment), and the link
 * downloads the archived file once the auditor is signed in (signed out it sends them to sign-in first).
 */
test('an auditor schedules a report, runs it now, gets the link by mail and downloads the file after signing in', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const org = await createTestOrg(['OWNER', 'AUDITOR']);
  const auditor = org.users.AUDITOR;

  await signIn(page, auditor, `/o/${org.slug}/reports`);
  await page.getByRole('link', { name: 'Schedules' }).click();
  await expect(page.getByRole('heading', { name: 'Report schedules' })).toBeVisible();
  await expect(page.getByText('No schedules yet')).toBeVisible();

  // An invalid custom cron is refused, naming the field.
  await page.getByLabel('Format').selectOption('CSV');
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  await page.getByLabel('Schedule', { exact: true }).selectOption('custom');
  await page.getByLabel('Cron expression').fill('0 25 * * *');
  await page.getByRole('checkbox', { name: /\(auditor\)/ }).check();
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Please correct' })).toContainText('Schedule: is not a valid cron expression');
  await page.getByLabel('Schedule', { exact: true }).selectOption('monthly');
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await expect(page.getByText(/Schedule created\. First run:/)).toBeVisible();
  const row = page.getByTestId('report-schedule');
  await expect(row).toContainText('0 6 1 * *');
  await expect(row).toContainText('Europe/Berlin');
  await expect(row).toContainText('Previous calendar month');

  await row.getByRole('button', { name: /^Run now/ }).click();
  await expect(page.getByText('Report queued; the recipients get their links when it is ready.')).toBeVisible();

  // The report worker generates it and the mail worker delivers the link to the SMTP server.
  await expect.poll(async () => (await reportMailsTo(auditor)).length, { timeout: 90_000, intervals: [1_000] }).toBe(1);
  const [mail] = await reportMailsTo(auditor);
  expect(mail!.attachments).toEqual([]);
  const link = mail!.text!.match(/https?:\/\/\S+\/api\/reports\/download\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/)?.[0];
  expect(link, 'the text body carries the download link').toBeTruthy();
  const linkPath = new URL(link!).pathname;

  // Signed out, the link sends the reader to sign in and back.
  const stranger = await browser.newContext();
  const signedOut = await stranger.request.get(linkPath, { maxRedirects: 0 });
  expect(signedOut.status()).toBe(303);
  expect(signedOut.headers().location).toBe(`/sign-in?callbackUrl=${encodeURIComponent(linkPath)}`);
  // A tampered link is not found.
  expect((await stranger.request.get(`${linkPath.slice(0, -3)}AAA`, { maxRedirects: 0 })).status()).toBe(404);
  await stranger.close();

  // Signed in (the same auditor, in a fresh session), the link downloads the archived file with its SHA-256.
  const fresh = await browser.newContext();
  const freshPage = await fresh.newPage();
  await signIn(freshPage, auditor);
  const download = await freshPage.request.get(linkPath);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="bulwark-.*\.csv"/);
  const body = await download.body();
  expect(createHash('sha256').update(body).digest('hex')).toBe(download.headers()['x-content-sha256']);
  expect(body.byteLength).toBeGreaterThan(0);
  await fresh.close();

  // The archive shows the report with that SHA-256.
  await page.goto(`/o/${org.slug}/reports`);
  await expect(page.locator(`code[title="${download.headers()['x-content-sha256']}"]`)).toBeVisible();
});
