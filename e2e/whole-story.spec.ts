import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { agentPush } from './fixtures/agent';
import { signIn } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { createTestOrg } from './fixtures/orgs';

/**
 * Bulwark's mission in one journey, through the real OIDC sign-in, web app, worker, Postgres and Redis:
 * a cluster is added, the agent pushes, findings are triaged and ticketed, a fix resolves them by itself,
 * and an auditor takes away a report that proves it.
 */
const OUT = 'artifacts/e2e/whole-story';

async function privilegedFindingId(page: Page, slug: string): Promise<string> {
  let id = '';
  await expect.poll(async () => {
    const response = await page.request.get(`/api/v1/orgs/${slug}/findings?controlId=workload.privileged-container&status=OPEN,ACKNOWLEDGED,RESOLVED`);
    const body = (await response.json()) as { items: { id: string }[] };
    id = body.items[0]?.id ?? '';
    return id;
  }, { timeout: 45_000 }).not.toBe('');
  return id;
}

async function findingStatus(page: Page, slug: string, id: string): Promise<string> {
  const body = (await (await page.request.get(`/api/v1/orgs/${slug}/findings/${id}`)).json()) as { finding: { status: string } };
  return body.finding.status;
}

test('from a new cluster to an auditor\'s report that shows the finding fixed', async ({ browser }) => {
  test.setTimeout(300_000);
  mkdirSync(OUT, { recursive: true });
  const org = await createTestOrg(['OWNER', 'MEMBER', 'AUDITOR'], { teams: [{ name: 'Platform', members: ['MEMBER'] }] });

  // 1. The owner adds a cluster; the agent pushes a snapshot with the token shown once.
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, org.users.OWNER);
  await owner.goto(`/o/${org.slug}/clusters/new`);
  await owner.getByLabel('Cluster name').fill('payments-prod');
  await owner.getByRole('button', { name: 'Add cluster' }).click();
  const token = await owner.getByLabel('Agent token').inputValue();
  await agentPush(token, 'e2e/fixtures/manifests/shop');

  // 2. The worker evaluates it; the dashboard shows the scores.
  await owner.goto(`/o/${org.slug}`);
  await expect(owner.getByTestId('score-iso27001-2022')).toContainText('%', { timeout: 45_000 });
  await owner.screenshot({ path: `${OUT}/dashboard.png`, fullPage: true });

  // 3. An engineer acknowledges the privileged-container finding and assigns it to their team.
  const eng = await (await browser.newContext()).newPage();
  await signIn(eng, org.users.MEMBER);
  const findingId = await privilegedFindingId(eng, org.slug);
  await eng.goto(`/o/${org.slug}/findings/${findingId}`);
  await expect(eng.getByText('runs privileged').first()).toBeVisible();
  await eng.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await expect.poll(() => findingStatus(eng, org.slug, findingId)).toBe('ACKNOWLEDGED');
  await eng.locator('summary', { hasText: /^Assign$/ }).click();
  await eng.getByLabel('Assign to team').selectOption({ label: 'Platform' });
  await eng.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect.poll(async () => ((await (await eng.request.get(`/api/v1/orgs/${org.slug}/findings/${findingId}`)).json()) as { finding: { assigneeTeamId: string | null } }).finding.assigneeTeamId).not.toBeNull();

  // 4. ...and opens an incident ticket from it.
  await eng.locator('summary', { hasText: 'Open a ticket' }).click();
  await eng.getByRole('button', { name: 'Open ticket' }).click();
  await eng.getByRole('link', { name: '#1' }).first().click();
  await expect(eng.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(eng.getByText('storefront').first()).toBeVisible();
  await eng.goto(`/o/${org.slug}/findings/${findingId}`);
  await expect(eng.getByText(/Platform/).first()).toBeVisible();
  await eng.screenshot({ path: `${OUT}/finding.png`, fullPage: true });

  // 5. The fix ships: the next snapshot no longer has the privileged container, and the finding resolves itself.
  await agentPush(token, 'e2e/fixtures/manifests/shop-fixed');
  await expect.poll(() => findingStatus(eng, org.slug, findingId), { timeout: 60_000, intervals: [1_000] }).toBe('RESOLVED');
  await eng.goto(`/o/${org.slug}/tickets/1`);
  await expect(eng.getByText(/resolved/i).first()).toBeVisible();
  await expect.poll(async () => { await eng.reload(); return (await eng.content()).includes('Linked finding resolved'); }, { timeout: 30_000, intervals: [2_000] }).toBe(true);
  await eng.screenshot({ path: `${OUT}/ticket.png`, fullPage: true });

  // 6. The auditor generates the ISO 27001 report, and downloads the PDF and the CSV.
  const auditor = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await signIn(auditor, org.users.AUDITOR);
  const files: Record<string, Buffer> = {};
  for (const format of ['PDF', 'CSV'] as const) {
    await auditor.goto(`/o/${org.slug}/reports`);
    await auditor.getByLabel('Framework').selectOption('iso27001-2022');
    await auditor.getByLabel('Format').selectOption(format);
    await auditor.getByRole('button', { name: 'Generate report' }).click();
    const row = auditor.getByRole('row').filter({ hasText: 'ISO/IEC 27001' }).filter({ hasText: format }).first();
    await expect(row.getByRole('link', { name: /Download/ })).toBeVisible({ timeout: 90_000 });
    const href = await row.getByRole('link', { name: /Download/ }).getAttribute('href');
    const response = await auditor.request.get(href ?? '');
    expect(response.status()).toBe(200);
    files[format] = await response.body();
  }
  await auditor.screenshot({ path: `${OUT}/report-archive.png`, fullPage: true });
  writeFileSync(`${OUT}/report.pdf`, files.PDF!);
  writeFileSync(`${OUT}/report.csv`, files.CSV!);

  const text = execFileSync('pdftotext', ['-layout', `${OUT}/report.pdf`, '-'], { encoding: 'utf8' });
  expect(text).toContain(org.name);
  expect(text).toContain('ISO/IEC 27001');
  expect(text).toMatch(/\d+(\.\d)?\s?%/);
  expect(text).toContain('storefront');
  expect(text).toMatch(/RESOLVED|Resolved/);
  expect(text).not.toContain('s3cr3t-e2e-Password!');
  const csv = files.CSV!.toString('utf8');
  // The ISO 27001 requirement table comes first, then (after a blank line) one row per finding.
  expect(csv.split('\r\n')[0]).toMatch(/^requirement_id,requirement_title,status_at_period_end/);
  expect(csv).toMatch(/\r\nA\.8\.9,/);
  expect(csv.split('\n').find((line) => line.startsWith('payments-prod,') && line.includes(',workload.privileged-container,'))).toMatch(/RESOLVED/i);

  // 7. Anyone holding the file can check Bulwark issued it, untouched.
  const verify = execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/admin.ts', 'report:verify', `${OUT}/report.pdf`], { env: { ...process.env, ...E2E.env }, encoding: 'utf8' });
  expect(verify).toContain('VERIFIED');
});
