import { expect, test } from '@playwright/test';
import { agentPush } from './fixtures/agent';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { startFakeJira } from '../lib/testing/fake-jira';
import { loopbackTls } from '../lib/testing/loopback-tls';

// Jira (issue 20), as people use it: an admin connects Jira (the fake Jira of lib/testing, on https 127.0.0.1: the
// e2e stack allows loopback with JIRA_ALLOWED_CIDRS and trusts the certificate), picks a project, issue type and
// priorities; an engineer creates a Jira issue from a finding; Jira moves it to Done and calls Bulwark's webhook
// with the address the admin was shown; the finding page says "Resolved in Jira, still open in Bulwark" and the
// finding stays open.

type Finding = { id: string; controlId: string; status: string; severity: string };

test('an admin connects Jira, an engineer creates an issue from a finding, and Jira\'s "Done" comes back without resolving the finding', async ({ browser }) => {
  test.setTimeout(240_000);
  const jira = await startFakeJira({ tls: loopbackTls() });
  try {
    const org = await createTestOrg(['OWNER', 'ADMIN', 'MEMBER']);
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await signIn(admin, org.users.ADMIN);
    const created = await admin.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'jira-e2e' } });
    const { token } = (await created.json()) as { token: string };
    await agentPush(token, 'e2e/fixtures/manifests/shop');

    await admin.goto(`/o/${org.slug}/settings/integrations`);
    await admin.getByRole('link', { name: 'Set up Jira' }).click();
    // Wrong token: Jira's 401 comes back on the token field, and nothing is connected.
    await admin.getByLabel('Jira address').fill(jira.url);
    await admin.getByLabel('E-mail').fill(jira.credentials.email);
    await admin.getByLabel('API token').fill('not-the-token');
    await admin.getByRole('button', { name: 'Connect Jira' }).click();
    await expect(admin.getByLabel('API token')).toHaveAttribute('aria-invalid', 'true');
    await expect(admin.getByRole('alert').filter({ hasText: 'Jira refused the e-mail and API token' })).toBeVisible();

    await admin.getByLabel('API token').fill(jira.credentials.apiToken);
    await admin.getByRole('button', { name: 'Connect Jira' }).click();
    await expect(admin.getByRole('status').filter({ hasText: 'Jira connected.' })).toBeVisible();
    // Shown only once: it must still be there once the page has settled (a refresh used to replace the form).
    await admin.waitForLoadState('networkidle');
    await expect(admin.getByLabel('Jira webhook URL')).toBeVisible();
    const webhookUrl = await admin.getByLabel('Jira webhook URL').inputValue();
    expect(webhookUrl).toMatch(/\/api\/jira\/webhook\/[0-9a-f-]{36}\?secret=/);
    await admin.getByRole('button', { name: 'I have copied it' }).click();

    await admin.getByLabel('Project').selectOption('SEC');
    await expect(admin.getByLabel('Issue type').locator('option', { hasText: 'Bug' })).toHaveCount(1);
    await admin.getByLabel('Issue type').selectOption({ label: 'Bug' });
    await admin.getByLabel('Critical').selectOption('Highest');
    await admin.getByLabel('High').selectOption('High');
    await admin.getByRole('button', { name: 'Save Jira settings' }).click();
    await expect(admin.getByText('Saved.')).toBeVisible();
    await admin.reload();
    await expect(admin.getByRole('definition').filter({ hasText: 'Security (SEC)' })).toBeVisible();
    await expect(admin.getByRole('definition').filter({ hasText: 'Bug' })).toBeVisible();
    await adminContext.close();

    // The engineer, on a finding.
    const engineerContext = await browser.newContext();
    const engineer = await engineerContext.newPage();
    await signIn(engineer, org.users.MEMBER);
    let finding: Finding | undefined;
    await expect.poll(async () => {
      const list = (await (await engineer.request.get(`/api/v1/orgs/${org.slug}/findings?limit=200`)).json()) as { items: Finding[] };
      finding = list.items.find((f) => f.severity === 'CRITICAL' || f.severity === 'HIGH');
      return Boolean(finding);
    }, { timeout: 60_000 }).toBe(true);
    await engineer.goto(`/o/${org.slug}/findings/${finding!.id}`);
    const card = engineer.getByTestId('jira-issues');
    await card.getByRole('button', { name: 'Create Jira issue' }).click();
    await expect(card.getByText('Jira issue SEC-1 created.')).toBeVisible();
    await expect(card.getByRole('link', { name: 'SEC-1' })).toHaveAttribute('href', `${jira.url}/browse/SEC-1`);
    await expect(card.getByText('To Do', { exact: true })).toBeVisible();

    const issue = jira.issues.get('SEC-1');
    expect(issue?.labels).toEqual(['bulwark', finding!.controlId]);
    expect(issue?.issueTypeId).toBe('10002');
    expect(issue?.priority).toBe(finding!.severity === 'CRITICAL' ? 'Highest' : 'High');
    expect(JSON.stringify(issue?.description)).toContain(`/o/${org.slug}/findings/${finding!.id}`);

    // Jira moves it to Done and calls the webhook; a wrong secret is refused first.
    jira.transition('SEC-1', { name: 'Done', category: 'done' });
    expect((await jira.sendWebhook(webhookUrl.replace(/secret=[^&]+/, 'secret=wrong'), 'SEC-1')).status).toBe(401);
    expect(await jira.sendWebhook(webhookUrl, 'SEC-1')).toEqual({ status: 200, body: JSON.stringify({ updated: 1 }) });
    await engineer.reload();
    await expect(card.getByText('Done', { exact: true })).toBeVisible();
    await expect(card.getByRole('note')).toContainText('Resolved in Jira, still open in Bulwark');
    const after = (await (await engineer.request.get(`/api/v1/orgs/${org.slug}/findings/${finding!.id}`)).json()) as { finding?: Finding } & Finding;
    expect((after.finding ?? after).status).toBe('OPEN');
    await engineerContext.close();
  } finally {
    await jira.close();
  }
});
