import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

// Issue 19, "done when": an admin marks ISO 27001 A.5.1 applicable with an owner; that owner uploads the policy PDF;
// a second admin (the organization's owner) accepts it; the auditor's ISO 27001 report shows A.5.1 "Evidence
// provided" with the file listed; the public verification page confirms the downloaded PDF and rejects a copy with
// one changed byte. The PDF is read with poppler's pdftotext (installed by scripts/e2e.sh).

const ISO = 'iso27001-2022';
const OUT = 'artifacts/e2e/auditor-journey';
const POLICY = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

async function session(browser: Browser, email: string, path: string, options: { downloads?: boolean } = {}): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: options.downloads ?? false })).newPage();
  await signIn(page, email, path);
  await page.goto(path);
  return page;
}

test('A.5.1 from SoA decision to evidence to the auditor\'s verified report', async ({ browser }) => {
  test.setTimeout(300_000);
  mkdirSync(OUT, { recursive: true });
  const org = await createTestOrg(['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR']);
  const memberName = `Member ${org.users.MEMBER.split('@')[0]!.replace('member-', '')}`;
  const requirementPath = `/o/${org.slug}/controls/requirements/${ISO}/A.5.1`;

  // 1. The admin marks A.5.1 applicable, owned by the member, and approves the SoA as version 1.
  const admin = await session(browser, org.users.ADMIN, `/o/${org.slug}/controls/soa/${ISO}`);
  const a51 = admin.getByTestId('soa-row-A.5.1');
  await expect(a51.locator('[data-status]')).toHaveText('Not assessed by Bulwark');
  await admin.getByRole('link', { name: 'Edit A.5.1', exact: true }).click();
  const form = admin.getByRole('form', { name: 'Decision for A.5.1' });
  await form.getByLabel('Applicability', { exact: true }).selectOption('applicable');
  await form.getByLabel('Owner', { exact: true }).selectOption({ label: memberName });
  await form.getByLabel('Implementation status').selectOption({ label: 'Implemented' });
  await form.getByRole('button', { name: 'Save decision' }).click();
  await expect(form).toHaveCount(0);
  await expect(a51).toContainText(memberName);
  await admin.getByLabel('Approval note').fill('SoA for the ISO 27001 audit');
  await admin.getByRole('button', { name: 'Approve as version 1' }).click();
  await expect(admin.getByTestId('soa-version')).toContainText(`Version 1, approved by ${org.users.ADMIN}`);
  await admin.context().close();

  // 2. The owner of A.5.1 uploads the policy PDF; it waits for someone else's review.
  const member = await session(browser, org.users.MEMBER, requirementPath);
  await expect(member.getByRole('heading', { level: 1 })).toHaveText('A.5.1: Policies for information security');
  const add = member.getByRole('form', { name: 'Add evidence' });
  await add.getByLabel('Title').fill('Information security policy v3');
  await add.getByLabel('File', { exact: true }).setInputFiles({ name: 'policy.pdf', mimeType: 'application/pdf', buffer: POLICY });
  await add.getByRole('button', { name: 'Add evidence' }).click();
  await expect(member.getByText('“Information security policy v3” added')).toBeVisible();
  await expect(member.getByTestId('evidence-item').getByTestId('evidence-item-status')).toHaveText('Pending review');
  await expect(member.getByTestId('evidence-state')).toHaveText('No evidence');
  await member.context().close();

  // 3. A second admin (the organization's owner) accepts it.
  const owner = await session(browser, org.users.OWNER, requirementPath);
  const item = owner.getByTestId('evidence-item');
  await item.getByRole('button', { name: 'Accept Information security policy v3' }).click();
  await expect(item.getByTestId('evidence-item-status')).toHaveText('Accepted');
  await expect(owner.getByTestId('evidence-state')).toHaveText('Evidence provided');
  await owner.context().close();

  // 4. The auditor's ISO 27001 PDF report: A.5.1 "Evidence provided", the policy listed with its reviewer.
  const auditor = await session(browser, org.users.AUDITOR, `/o/${org.slug}/reports`, { downloads: true });
  await auditor.getByLabel('Framework').selectOption(ISO);
  await auditor.getByLabel('Format').selectOption('PDF');
  await auditor.getByRole('button', { name: 'Generate report' }).click();
  const row = auditor.getByRole('row').filter({ hasText: 'ISO/IEC 27001' }).filter({ hasText: 'PDF' }).first();
  await expect(row.getByRole('link', { name: /Download/ })).toBeVisible({ timeout: 120_000 });
  const response = await auditor.request.get((await row.getByRole('link', { name: /Download/ }).getAttribute('href')) ?? '');
  expect(response.status()).toBe(200);
  const pdf = await response.body();
  writeFileSync(`${OUT}/report.pdf`, pdf);
  await auditor.context().close();

  const text = execFileSync('pdftotext', ['-layout', `${OUT}/report.pdf`, '-'], { encoding: 'utf8' });
  writeFileSync(`${OUT}/report.txt`, text);
  const lines = text.split('\n');
  const soaStart = lines.findIndex((line) => line.trim() === 'Statement of Applicability');
  const evidenceStart = lines.findIndex((line, index) => index > soaStart && line.trim() === 'Evidence');
  expect(soaStart).toBeGreaterThan(0);
  expect(evidenceStart).toBeGreaterThan(soaStart);
  // The intro may wrap anywhere (an e-mail can break at its hyphen): compared without whitespace.
  const intro = lines.slice(soaStart + 1, soaStart + 5).join('').replace(/\s+/g, '');
  expect(intro).toContain(`Version1oftheStatementofApplicability,approvedby${org.users.ADMIN}`);
  // A row's cells wrap onto the following lines in their own columns; the status is the last column, so its words
  // end the row's lines ("Evidence" / "provided").
  const soaRow = lines.findIndex((line, index) => index > soaStart && index < evidenceStart && line.trimStart().startsWith('A.5.1 '));
  expect(lines[soaRow]).toContain('Applicable');
  // By the time the report is made the member has signed in, and the dev IdP's name claim capitalises each word
  // ("Member B62602" for member-b62602@…): the owner is the same person whatever the case of the hex suffix.
  expect(lines[soaRow]!.toLowerCase()).toContain(memberName.toLowerCase());
  const [first, second] = [lines[soaRow]!.trimEnd(), lines[soaRow + 1]!.trimEnd()];
  expect(first.endsWith('Evidence provided') || (first.endsWith('Evidence') && second.endsWith('provided'))).toBe(true);
  const evidenceSection = lines.slice(evidenceStart, evidenceStart + 25).join('\n');
  const evidenceRow = lines.slice(evidenceStart).find((line) => line.trimStart().startsWith('A.5.1 '));
  expect(evidenceRow).toContain('Information security policy v3');
  expect(evidenceRow).toMatch(/Accepted/);
  expect(evidenceSection).toContain('policy.pdf');
  expect(evidenceSection).toContain(org.users.OWNER);
  // No requirement is "not applicable" in the summary, the requirement table or the SoA (the methodology may name the word).
  expect(lines.slice(0, evidenceStart).join('\n')).not.toMatch(/Not applicable/);

  // 5. The public verification page, signed out: the downloaded PDF is confirmed; one changed byte is not.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto('/verify');
  await page.getByLabel('Choose a file').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf });
  const confirmed = page.getByRole('region', { name: 'Issued by this Bulwark, unchanged' });
  await expect(confirmed).toBeVisible({ timeout: 30_000 });
  await expect(confirmed).toContainText(org.name);
  await expect(confirmed).toContainText('ISO/IEC 27001:2022 Annex A');
  await expect(confirmed).toContainText('Valid, by the certificate this Bulwark signs reports with');
  await page.screenshot({ path: `${OUT}/verified-390.png`, fullPage: true });

  const changed = Buffer.from(pdf);
  const at = changed.indexOf('/Title (') + 10;
  changed[at] = changed[at]! ^ 0x20;
  await page.getByLabel('Choose a file').setInputFiles({ name: 'report-edited.pdf', mimeType: 'application/pdf', buffer: changed });
  await expect(page.getByRole('region', { name: 'Not issued by this Bulwark, or changed' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('region', { name: 'Issued by this Bulwark, unchanged' })).toHaveCount(0);
  await context.close();
});
