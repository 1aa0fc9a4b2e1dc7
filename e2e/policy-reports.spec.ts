import { gzipSync } from 'node:zlib';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/**
 * Issue 23: a cluster runs Kyverno, whose PolicyReport fails two Deployments on require-labels. The agent's snapshot
 * carries the report; Bulwark lists both as findings imported from Kyverno (source filter "Imported (PolicyReports)"),
 * the finding page names the policy and rule, the cluster page sums what was imported; the next snapshot, where one
 * Deployment passes, resolves its finding.
 */
const meta = (kind: string, name: string, namespace?: string) => ({ apiVersion: kind === 'Namespace' ? 'v1' : 'apps/v1', kind, metadata: { name, ...(namespace ? { namespace, uid: `uid-${name}` } : { uid: `uid-${name}` }) } });
const deploymentOf = (name: string) => ({
  ...meta('Deployment', name, 'shop'),
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: `registry.example.com/${name}:1.0` }] } } },
});

function snapshot(day: number, results: Record<string, 'pass' | 'fail'>) {
  const list = Object.entries(results);
  const empty = Object.fromEntries(['nodes', 'pods', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'replicationcontrollers', 'serviceaccounts', 'roles', 'clusterroles', 'rolebindings', 'clusterrolebindings', 'networkpolicies', 'services', 'ingresses', 'secrets'].map((name) => [name, []]));
  return {
    schemaVersion: 1,
    cluster: { uid: 'kube-system-uid-e2e-policy-reports', name: 'e2e', provider: 'kind' },
    collectedAt: `2026-12-0${day}T10:00:00Z`,
    agent: { version: '0.0.0-e2e', mode: 'in-cluster' },
    collection: {},
    objects: {
      ...empty,
      namespaces: [meta('Namespace', 'shop')],
      deployments: list.map(([name]) => deploymentOf(name)),
      kyvernopolicies: [{
        apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy',
        metadata: { name: 'require-labels', annotations: { 'policies.kyverno.io/severity': 'high', 'policies.kyverno.io/category': 'Best Practices' } },
        spec: { validationFailureAction: 'Audit', background: true, rules: [{ name: 'check-team', type: 'validate' }] },
      }],
      policyreports: [{
        apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'polr-ns-shop', namespace: 'shop' },
        results: list.map(([name, result]) => ({
          source: 'kyverno', policy: 'require-labels', rule: 'check-team', result, scored: true,
          message: result === 'fail' ? "validation error: label 'team' is required" : 'validation rule check-team passed',
          resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name }],
        })),
      }],
    },
  };
}

async function push(request: APIRequestContext, token: string, body: unknown) {
  const response = await request.post('/api/v1/snapshots', {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    data: gzipSync(Buffer.from(JSON.stringify(body))),
  });
  expect(response.status(), await response.text()).toBe(202);
}

type FindingItem = { resourceName: string; status: string; source: string; importedFrom: string | null };
async function importedFindings(request: APIRequestContext, slug: string): Promise<Record<string, string>> {
  const response = await request.get(`/api/v1/orgs/${slug}/findings?source=imported&status=OPEN,RESOLVED&limit=50`);
  expect(response.status()).toBe(200);
  const { items } = (await response.json()) as { items: FindingItem[] };
  return Object.fromEntries(items.map((item) => [item.resourceName, `${item.status} ${item.source} ${item.importedFrom}`]));
}

test('Kyverno PolicyReport results become findings marked as imported, and a result that passes resolves its finding', async ({ page }) => {
  test.setTimeout(180_000);
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  const created = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'kyverno-cluster' } });
  expect(created.status()).toBe(201);
  const { token, cluster } = (await created.json()) as { token: string; cluster: { id: string } };

  await push(page.request, token, snapshot(1, { web: 'fail', api: 'fail' }));
  await expect.poll(() => importedFindings(page.request, org.slug), { timeout: 60_000 })
    .toEqual({ web: 'OPEN imported Kyverno', api: 'OPEN imported Kyverno' });

  // The findings page's Source filter lists only them, titled by policy and rule, marked with the engine.
  await page.goto(`/o/${org.slug}/findings`);
  await page.getByLabel('Source', { exact: true }).selectOption({ label: 'Imported (PolicyReports)' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/source=imported/);
  const rows = page.getByRole('table', { name: /^Findings/ }).getByRole('row').filter({ has: page.getByTestId('imported-marker') });
  await expect(rows).toHaveCount(2);
  await expect(rows.first().getByTestId('imported-marker')).toHaveText('imported from Kyverno');
  await expect(rows.first().getByRole('link', { name: 'Kyverno policy require-labels / rule check-team' })).toBeVisible();
  await expect(page.getByRole('table', { name: /^Findings/ })).not.toContainText('workload.');

  // The finding page: the engine's policy and rule, where it comes from, and no framework mapping.
  await rows.filter({ hasText: 'web' }).getByRole('link', { name: 'Kyverno policy require-labels / rule check-team' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kyverno policy require-labels / rule check-team' })).toBeVisible();
  await expect(page.getByTestId('imported-marker')).toHaveText('imported from Kyverno');
  await expect(page.getByTestId('imported-evidence')).toContainText('Kyverno, in PolicyReport shop/polr-ns-shop');
  await expect(page.getByTestId('imported-evidence')).toContainText("the policy's policies.kyverno.io/severity annotation");
  await expect(page.getByText("rule check-team: validation error: label 'team' is required")).toBeVisible();
  await expect(page.getByText('Not mapped to a framework requirement.')).toBeVisible();

  // The cluster page sums what the evaluation imported.
  await page.goto(`/o/${org.slug}/clusters/${cluster.id}`);
  await expect(page.getByTestId('policy-reports-summary')).toHaveText('PolicyReports imported: 2 results (2 fail, 0 warn) from Kyverno');

  // web gets its label: Kyverno reports a pass, and the next snapshot resolves web's finding; api stays open.
  await push(page.request, token, snapshot(2, { web: 'pass', api: 'fail' }));
  await expect.poll(() => importedFindings(page.request, org.slug), { timeout: 60_000 })
    .toEqual({ web: 'RESOLVED imported Kyverno', api: 'OPEN imported Kyverno' });
  await page.reload();
  await expect(page.getByTestId('policy-reports-summary')).toHaveText('PolicyReports imported: 2 results (1 fail, 0 warn) from Kyverno');
});
