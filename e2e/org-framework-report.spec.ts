import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { agentPush } from './fixtures/agent';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/**
 * Issue 23: the organization's own framework and its controls in scores and reports. An owner defines "Acme platform
 * policy" and a custom control mapped to its AP-1 and to ISO 27001 A.8.20, enables it; the cluster's Ingresses fail
 * it. Your frameworks shows the score with the control and its version; the ISO requirement page lists the control
 * as the organization's own; the reports page offers the framework, and its PDF names the requirement, the control
 * with its version and its result.
 */
const OUT = 'artifacts/e2e/org-framework';

async function evaluatedAt(request: APIRequestContext, slug: string, clusterId: string): Promise<string | null> {
  const response = await request.get(`/api/v1/orgs/${slug}/clusters/${clusterId}`);
  const body = (await response.json()) as { cluster?: { lastEvaluatedAt: string | null }; lastEvaluatedAt?: string | null };
  return body.cluster?.lastEvaluatedAt ?? body.lastEvaluatedAt ?? null;
}

test('an organization framework: scored with its control\'s version, on the requirement page, and reported as a PDF', async ({ page }) => {
  test.setTimeout(240_000);
  mkdirSync(OUT, { recursive: true });
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  const api = page.request;
  expect((await api.post(`/api/v1/orgs/${org.slug}/org-frameworks`, {
    data: { key: 'acme-platform', name: 'Acme platform policy', requirements: [{ code: 'AP-1', title: 'Exposures are reviewed' }, { code: 'AP-2', title: 'Owners are known' }] },
  })).status()).toBe(201);
  const created = await api.post(`/api/v1/orgs/${org.slug}/custom-controls`, {
    data: {
      key: 'ingress-review', title: 'Ingresses carry a security review', severity: 'high', rationale: 'Exposure is reviewed before it ships.',
      remediation: 'Annotate the Ingress with security-review/ticket.', requirementIds: ['acme-platform:AP-1', 'iso27001-2022:A.8.20'],
      rule: { match: { resources: [{ kinds: ['Ingress'] }] }, validations: [{ expression: "has(object.metadata.annotations) && 'security-review/ticket' in object.metadata.annotations" }] },
    },
  });
  expect(created.status()).toBe(201);
  const { customControl } = (await created.json()) as { customControl: { id: string } };
  expect((await api.patch(`/api/v1/orgs/${org.slug}/custom-controls/${customControl.id}`, { data: { enabled: true } })).status()).toBe(200);

  const cluster = await api.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'edge' } });
  const { token, cluster: { id: clusterId } } = (await cluster.json()) as { token: string; cluster: { id: string } };
  await agentPush(token, 'e2e/fixtures/manifests/ingresses');
  await expect.poll(() => evaluatedAt(api, org.slug, clusterId), { timeout: 60_000 }).not.toBeNull();

  // Your frameworks: the score, AP-1 failing with the control named as the organization's, with its version.
  await page.goto(`/o/${org.slug}/controls/frameworks`);
  await expect(page.getByTestId('org-framework-score')).toContainText('0%');
  const ap1 = page.getByTestId('org-requirement-AP-1');
  await expect(ap1).toContainText('fail');
  await expect(ap1).toContainText('Ingresses carry a security review (your organization’s control custom.ingress-review, v2): fails');
  await page.screenshot({ path: `${OUT}/frameworks.png`, fullPage: true });

  // The dashboard has a card for it beside the catalog frameworks.
  await page.goto(`/o/${org.slug}`);
  await expect(page.getByTestId('score-org:acme-platform')).toContainText('0%');
  await expect(page.getByTestId('score-org:acme-platform')).toContainText('0 passed · 1 failed · 1 without a control');
  await page.screenshot({ path: `${OUT}/dashboard.png`, fullPage: true });

  // The ISO 27001 requirement it maps to lists it among the controls that decide it.
  await page.goto(`/o/${org.slug}/controls/requirements/iso27001-2022/A.8.20`);
  await expect(page.getByTestId('requirement-standing')).toHaveText('fails');
  await expect(page.getByTestId('own-control')).toContainText('Ingresses carry a security review');
  await expect(page.getByTestId('own-control')).toContainText('your organization’s control, v2');
  await page.screenshot({ path: `${OUT}/requirement.png`, fullPage: true });

  // The controls catalog lists it beside Bulwark's, marked as the organization's, found by the A.8.20 filter, linking to its page.
  await page.goto(`/o/${org.slug}/controls?framework=iso27001-2022&requirement=A.8.20`);
  const own = page.locator('li').filter({ has: page.getByTestId('control-own-badge') });
  await expect(own).toHaveCount(1);
  await expect(own).toContainText('Ingresses carry a security review');
  await expect(own.getByTestId('control-own-badge')).toHaveText('your organization’s');
  await own.locator('summary').click();
  await expect(own.getByRole('link', { name: /rule and versions \(v2\)/ })).toHaveAttribute('href', `/o/${org.slug}/controls/custom/${customControl.id}`);

  // Request a report from the framework's card: the reports page has it chosen; OSCAL is not offered for it.
  await page.goto(`/o/${org.slug}/controls/frameworks`);
  await page.getByRole('link', { name: 'Request a report' }).click();
  await expect(page.getByRole('combobox', { name: 'Framework' })).toHaveValue('org:acme-platform');
  await expect(page.getByRole('combobox', { name: 'Format' }).locator('option')).toHaveText(['PDF: the report for people', 'CSV: one row per finding', 'JSON: all report data']);
  await page.getByRole('combobox', { name: 'Format' }).selectOption('PDF');
  await page.getByRole('button', { name: 'Generate report' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Acme platform policy (your framework)' }).filter({ hasText: 'PDF' }).first();
  await expect(row.getByRole('link', { name: /Download/ })).toBeVisible({ timeout: 120_000 });
  await page.screenshot({ path: `${OUT}/reports.png`, fullPage: true });
  const response = await api.get((await row.getByRole('link', { name: /Download/ }).getAttribute('href')) ?? '');
  expect(response.status()).toBe(200);
  writeFileSync(`${OUT}/report.pdf`, await response.body());
  const text = execFileSync('pdftotext', ['-layout', `${OUT}/report.pdf`, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toContain("The organization's own framework (acme-platform)");
  expect(text).toMatch(/AP-1 Exposures are reviewed Failed ✗ custom.ingress-review \(organization's own,( \d+)? v2\)/);
  expect(text).toMatch(/The organization's own controls .*Ingresses carry a[^✗]*v2 edge Failed \d+ AP-1/);
});
