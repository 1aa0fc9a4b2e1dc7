import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { agentPush } from './fixtures/agent';

// Issue 22, "done when": an admin starts an access review; a reviewer keeps one right (with a reason) and revokes
// another; a new snapshot, pushed through the agent intake, without the revoked right closes the revocation; the
// admin signs the review off; the auditor's ISO 27001 PDF report shows it (read with poppler's pdftotext).

const OUT = 'artifacts/e2e/access-review';
const CAMPAIGN = 'Q4 privileged access review';

async function session(browser: Browser, email: string, path: string, options: { downloads?: boolean } = {}): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: options.downloads ?? false })).newPage();
  await signIn(page, email, path);
  await page.goto(path);
  return page;
}

/** The cluster's current evaluation (null before its first snapshot is evaluated). */
async function evaluatedAt(page: Page, org: string, clusterId: string): Promise<string | null> {
  const response = await page.request.get(`/api/v1/orgs/${org}/clusters/${clusterId}`);
  const body = (await response.json()) as { evaluation: { id: string } | null };
  return body.evaluation?.id ?? null;
}

test('an access review from start to the auditor\'s ISO 27001 report', async ({ browser }) => {
  test.setTimeout(300_000);
  mkdirSync(OUT, { recursive: true });
  const org = await createTestOrg(['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR']);

  // The cluster reports its RBAC through the agent (offline manifests, the real intake).
  const admin = await session(browser, org.users.ADMIN, `/o/${org.slug}/reviews`);
  const created = await admin.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'payments-prod' } });
  const { cluster, token } = (await created.json()) as { cluster: { id: string }; token: string };
  await agentPush(token, 'e2e/fixtures/manifests/access-review');
  await expect.poll(() => evaluatedAt(admin, org.slug, cluster.id), { timeout: 60_000 }).not.toBeNull();
  const firstEvaluation = await evaluatedAt(admin, org.slug, cluster.id);

  // 1. The admin starts the campaign: privileged rights, the member reviews.
  await admin.goto(`/o/${org.slug}/reviews`);
  await expect(admin.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Access reviews' })).toBeVisible();
  const form = admin.getByRole('form', { name: 'Start an access review' });
  await form.getByLabel('Name', { exact: true }).fill(CAMPAIGN);
  await form.getByLabel('payments-prod').check();
  await form.getByLabel('Scope').selectOption('privileged');
  const reviewer = form.getByLabel('Reviewer', { exact: true });
  const memberValue = await reviewer.locator('option', { hasText: org.users.MEMBER }).getAttribute('value');
  await reviewer.selectOption(memberValue ?? '');
  await form.getByRole('button', { name: 'Start the campaign' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText(CAMPAIGN, { timeout: 30_000 });
  await expect(admin.getByText('0 of 2 items decided')).toBeVisible();
  const campaignUrl = admin.url();
  await admin.screenshot({ path: `${OUT}/campaign-admin.png`, fullPage: true });

  // 2. The reviewer keeps the deployer's Secret read (a reason is required) and revokes ci's pod create.
  const member = await session(browser, org.users.MEMBER, campaignUrl);
  const deployer = member.getByTestId('review-item').filter({ hasText: 'ServiceAccount payments/deployer' });
  const ci = member.getByTestId('review-item').filter({ hasText: 'ServiceAccount payments/ci' });
  await deployer.getByRole('button', { name: /^Keep/ }).click();
  await expect(deployer.getByRole('alert')).toContainText('Keeping a privileged right needs a reason');
  await deployer.getByRole('textbox').fill('Deploys read the registry pull secret');
  await deployer.getByRole('button', { name: /^Keep/ }).click();
  await expect(deployer).toContainText('Kept');
  await expect(deployer).toContainText('Deploys read the registry pull secret');
  await ci.getByRole('textbox').fill('CI moved to the build cluster');
  await ci.getByRole('button', { name: /^Revoke/ }).click();
  await expect(ci).toContainText('Revoked');
  await expect(ci).toContainText('Revocation open: still granted');
  await expect(member.getByText('2 of 2 items decided')).toBeVisible();
  await member.screenshot({ path: `${OUT}/campaign-reviewer.png`, fullPage: true });

  // 3. The platform team removes the RoleBinding; the next snapshot no longer grants it, and the revocation closes.
  await agentPush(token, 'e2e/fixtures/manifests/access-review-revoked');
  await expect.poll(() => evaluatedAt(admin, org.slug, cluster.id), { timeout: 60_000 }).not.toBe(firstEvaluation);
  await expect.poll(async () => {
    await member.reload();
    return (await ci.textContent()) ?? '';
  }, { timeout: 60_000, intervals: [2_000] }).toContain('Carried out');
  await member.context().close();

  // 4. The admin signs the campaign off.
  await admin.goto(campaignUrl);
  await admin.getByLabel('Summary').fill('Two privileged rights reviewed; ci pod create revoked and removed.');
  await admin.getByRole('button', { name: 'Sign off' }).click();
  await expect(admin.getByText(/signed off \d{4}-\d{2}-\d{2} by/)).toBeVisible({ timeout: 30_000 });
  await admin.context().close();

  // 5. The auditor's ISO 27001 PDF report shows the review, its decisions and the carried-out revocation.
  const auditor = await session(browser, org.users.AUDITOR, `/o/${org.slug}/reports`, { downloads: true });
  await auditor.getByLabel('Framework').selectOption('iso27001-2022');
  await auditor.getByLabel('Format').selectOption('PDF');
  await auditor.getByRole('button', { name: 'Generate report' }).click();
  const row = auditor.getByRole('row').filter({ hasText: 'ISO/IEC 27001' }).filter({ hasText: 'PDF' }).first();
  await expect(row.getByRole('link', { name: /Download/ })).toBeVisible({ timeout: 120_000 });
  const response = await auditor.request.get((await row.getByRole('link', { name: /Download/ }).getAttribute('href')) ?? '');
  expect(response.status()).toBe(200);
  writeFileSync(`${OUT}/report.pdf`, await response.body());
  await auditor.context().close();
  const text = execFileSync('pdftotext', [`${OUT}/report.pdf`, '-'], { encoding: 'utf8' });
  writeFileSync(`${OUT}/report.txt`, text);
  // Lines may wrap anywhere (an e-mail can break at its hyphen): compared without whitespace.
  const flat = text.replace(/\s+/g, '');
  expect(flat).toContain('Accessreviews(A.5.15,A.5.18,A.8.2)');
  expect(flat).toContain(`Accessreview:${CAMPAIGN.replace(/\s+/g, '')}`);
  expect(flat).toMatch(new RegExp(`signedoff\\d{4}-\\d{2}-\\d{2}by${org.users.ADMIN.replace(/[.]/g, '\\.')}`));
  expect(flat).toContain('2rightsreviewed:1kept,1revoked(1carriedout)');
  expect(flat).toContain('Summary:Twoprivilegedrightsreviewed;cipodcreaterevokedandremoved.');
  // The decisions table: each row names the subject (cells may wrap, so only what fits on one line is looked for).
  expect(flat).toContain('payments/deployer');
  expect(flat).toContain('payments/ci');
});
