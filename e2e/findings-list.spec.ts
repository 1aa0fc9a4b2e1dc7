import { expect, test, type Page } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/**
 * Issue 18: the findings list counts and numbers its pages, sorts by a column header, and keeps a named view; a
 * ticket closed while its linked findings are still open asks first and says so on its timeline.
 */

const COUNT = 60;

/**
 * Findings as the evaluator writes them, inserted in one statement (60 distinct problems would need a manifest of
 * 60 workloads and a minute of evaluation): 30 on cluster "alpha", 30 on "beta", all open.
 */
async function orgWithFindings() {
  const org = await createTestOrg(['OWNER']);
  const { createClusterWithToken } = await import('../lib/testing/factories');
  const { systemDb } = await import('../lib/platform/db/tenant');
  const clusters = [(await createClusterWithToken(org, 'alpha')).cluster, (await createClusterWithToken(org, 'beta')).cluster];
  const at = new Date();
  const rows = await systemDb().finding.createManyAndReturn({
    select: { id: true },
    data: Array.from({ length: COUNT }, (_, i) => ({
      organizationId: org.id, clusterId: clusters[i % 2]!.id, controlId: 'workload.privileged-container', fingerprint: `e2e-${i}`,
      severity: (['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const)[i % 4]!, resourceApiVersion: 'apps/v1', resourceKind: 'Deployment',
      resourceNamespace: 'shop', resourceName: `app-${String(i).padStart(2, '0')}`, message: 'Container app runs privileged', evidence: {},
      firstSeenAt: at, lastSeenAt: at,
    })),
  });
  return { org, findingIds: rows.map((row) => row.id) };
}

const clusterHeader = (page: Page) => page.getByRole('columnheader', { name: /^Cluster/ });
const firstRowCluster = (page: Page) => page.getByRole('table').locator('tbody tr').first().getByRole('cell').nth(4);

test('findings: sort by a column, page 2 shows 26–50 of N, save the view and open it again', async ({ page }) => {
  test.setTimeout(180_000);
  const { org } = await orgWithFindings();
  await signIn(page, org.users.OWNER, `/o/${org.slug}/findings`);
  await page.goto(`/o/${org.slug}/findings`);
  await expect(page.getByText(`1–25 of ${COUNT}`)).toBeVisible();

  // The cluster header sorts A→Z, then Z→A; the URL and aria-sort follow.
  await clusterHeader(page).getByRole('link').click();
  await expect(page).toHaveURL(/[?&]sort=cluster/);
  await expect(clusterHeader(page)).toHaveAttribute('aria-sort', 'ascending');
  await expect(firstRowCluster(page)).toHaveText('alpha');
  await clusterHeader(page).getByRole('link').click();
  await expect(page).toHaveURL(/[?&]dir=desc/);
  await expect(clusterHeader(page)).toHaveAttribute('aria-sort', 'descending');
  await expect(firstRowCluster(page)).toHaveText('beta');
  // Only the sorted column says it is sorted.
  await expect(page.getByRole('columnheader', { name: /^Severity/ })).not.toHaveAttribute('aria-sort', /.+/);

  // Page 2 keeps the sort: rows 26 to 50, the 5 last of beta's 30 then alpha's.
  await page.getByRole('navigation', { name: 'Findings pages' }).getByRole('link', { name: 'Page 2' }).click();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(page.getByText(`26–50 of ${COUNT}`)).toBeVisible();
  await expect(page).toHaveURL(/[?&]sort=cluster/);
  await expect(page.getByRole('table').locator('tbody tr').nth(4).getByRole('cell').nth(4)).toHaveText('beta');
  await expect(page.getByRole('table').locator('tbody tr').nth(5).getByRole('cell').nth(4)).toHaveText('alpha');
  await expect(page.getByRole('navigation', { name: 'Findings pages' }).locator('[aria-current="page"]')).toHaveText('Page 2');

  // Save the view; it is listed, and marked as the one shown.
  const saved = page.getByRole('region', { name: 'Saved views' });
  await saved.getByLabel('Save this view as').fill('Beta first');
  await saved.getByRole('button', { name: 'Save view' }).click();
  await expect(saved.getByRole('status')).toHaveText('Saved as “Beta first”.');
  await expect(saved.getByRole('link', { name: 'Beta first' })).toHaveAttribute('aria-current', 'page');

  // From the plain list, the saved view opens on its first page with its sort, in the table and in the form.
  await page.goto(`/o/${org.slug}/findings`);
  await expect(clusterHeader(page)).not.toHaveAttribute('aria-sort', /.+/);
  await page.getByRole('region', { name: 'Saved views' }).getByRole('link', { name: 'Beta first' }).click();
  await expect(page).toHaveURL(/sort=cluster/);
  await expect(page).not.toHaveURL(/page=/);
  await expect(clusterHeader(page)).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByText(`1–25 of ${COUNT}`)).toBeVisible();
  await expect(firstRowCluster(page)).toHaveText('beta');
  await expect(page.getByRole('form', { name: 'Filter findings' }).getByLabel('Sort by')).toHaveValue('cluster');
  await expect(page.getByRole('form', { name: 'Filter findings' }).getByLabel('Order')).toHaveValue('desc');

  // Renamed, it keeps its query; deleted, it is gone.
  await page.getByRole('region', { name: 'Saved views' }).getByText('Manage saved views').click();
  await page.getByLabel('New name for Beta first').fill('Beta clusters first');
  await page.getByRole('button', { name: 'Rename Beta first' }).click();
  await expect(page.getByRole('region', { name: 'Saved views' }).getByRole('link', { name: 'Beta clusters first' })).toHaveAttribute('href', /sort=cluster&dir=desc/);
  await page.getByRole('button', { name: 'Delete Beta clusters first' }).click();
  await expect(page.getByRole('region', { name: 'Saved views' }).getByRole('link', { name: 'Beta clusters first' })).toHaveCount(0);
});

test('tickets: closing one whose linked findings are still open asks first, and the timeline says so', async ({ page }) => {
  test.setTimeout(180_000);
  const { org, findingIds } = await orgWithFindings();
  const { createTicket } = await import('../lib/services/tickets/create-ticket');
  const { systemContext } = await import('../lib/platform/auth/context');
  const ticket = await createTicket(systemContext(org.id, 'e2e', org.slug), { title: 'Privileged workloads', severity: 'SEV2', findingIds: findingIds.slice(0, 3) });
  await signIn(page, org.users.OWNER, `/o/${org.slug}/tickets/${ticket.number}`);
  await page.goto(`/o/${org.slug}/tickets/${ticket.number}`);

  await page.getByLabel('Root cause').fill('A chart default turned privileged mode on');
  await page.getByLabel('Resolution').fill('Chart fixed; rollout pending');
  await page.getByRole('button', { name: 'Close ticket' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('3 linked findings are still open. Close the ticket anyway?');
  // Nothing is closed until confirmed.
  await expect(page.getByText('Ticket closed.')).toHaveCount(0);
  await confirm.getByRole('button', { name: 'Close anyway' }).click();
  await expect(page.getByText('Closed tickets are a record')).toBeVisible();
  await expect(page.getByText(/moved it from Open to Closed with 3 linked findings still open/)).toBeVisible();
});
