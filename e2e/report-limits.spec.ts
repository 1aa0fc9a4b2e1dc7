import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/**
 * The reports page answers a request for a report that is already being generated with that report, and a
 * request past the organization's cap of pending reports with a message saying why (issue 16).
 */
test('asking again for a report still queued gets that one, and past the cap of pending reports a clear message', async ({ page }) => {
  const org = await createTestOrg(['AUDITOR']);
  const { systemDb } = await import('../lib/platform/db/tenant');
  const reports = () => systemDb().report.count({ where: { organizationId: org.id } });
  await signIn(page, org.users.AUDITOR);
  await page.goto(`/o/${org.slug}/reports`);
  const frameworkId = await page.getByLabel('Framework').inputValue();
  const format = (await page.getByLabel('Format').inputValue()) as 'PDF' | 'CSV' | 'JSON' | 'OSCAL';
  const start = await page.getByLabel('Period start').inputValue();
  const end = await page.getByLabel('Period end').inputValue();
  const today = new Date().toISOString().slice(0, 10);

  // The form's report, queued a moment ago and not picked up yet (no job: the e2e worker leaves it QUEUED).
  await systemDb().report.create({
    data: { organizationId: org.id, frameworkId, format, clusterIds: [], periodStart: new Date(`${start}T00:00:00.000Z`), periodEnd: end === today ? new Date() : new Date(`${end}T23:59:59.999Z`) },
  });
  await page.getByRole('button', { name: 'Generate report' }).click();
  await expect(page.getByText('The same report is already queued or being generated')).toBeVisible();
  expect(await reports()).toBe(1);

  // Four more pending (other periods): five is the cap, so another report is refused and nothing is written.
  for (let day = 1; day <= 4; day++) {
    await systemDb().report.create({ data: { organizationId: org.id, frameworkId, format, clusterIds: [], periodStart: new Date(`2026-01-0${day}T00:00:00.000Z`), periodEnd: new Date('2026-01-31T23:59:59.999Z') } });
  }
  await page.getByLabel('Format').selectOption(format === 'CSV' ? 'JSON' : 'CSV');
  await page.getByRole('button', { name: 'Generate report' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'This organization already has' })).toContainText('already has 5 reports queued or running (at most 5)');
  expect(await reports()).toBe(5);
});
