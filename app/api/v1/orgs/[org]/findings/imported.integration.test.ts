import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { container, deployment, namespace, snapshotOf } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';
import { GET as LIST } from './route';

// Findings imported from a cluster's PolicyReports (issue 23) are listed by the v1 API like any other, with their
// source, the engine that reported them, and a title naming its policy and rule; `source` filters by origin.

afterAll(async () => { await closeProducers(); await disconnectDb(); });

let org: { id: string; slug: string };
let token: string;
const list = (query: string) => LIST(
  new Request(`http://localhost/api/v1/orgs/${org.slug}/findings?${query}`, { headers: { authorization: `Bearer ${token}` } }),
  { params: Promise.resolve({ org: org.slug }) },
);
type Item = { controlId: string; controlTitle: string | null; source: string; importedFrom: string | null; resourceName: string; severity: string; message: string };

beforeAll(async () => {
  org = await createOrg();
  token = (await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'ci', role: 'MEMBER' })).token;
  const agent = await createClusterWithToken(org, 'prod');
  // A privileged Deployment gives the list a catalog finding beside the imported one.
  const web = deployment({ namespace: 'shop', name: 'web' }, { containers: [container({ name: 'app', securityContext: { privileged: true } })] });
  const base = snapshotOf([namespace('shop'), web], { collectedAt: '2026-12-01T10:00:00Z', clusterUid: 'kube-system-uid-imported-api' });
  const policyreports = [{
    apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'polr-ns-shop', namespace: 'shop' },
    results: [{
      source: 'kyverno', policy: 'disallow-latest-tag', rule: 'validate-image-tag', result: 'fail', severity: 'medium', category: 'Best Practices',
      message: 'validation error: Using a mutable image tag e.g. latest is not allowed.', resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }],
    }],
  }];
  const snapshot: Snapshot = { ...base, objects: { ...base.objects, policyreports } as unknown as Snapshot['objects'] };
  const pushed = await pushSnapshot(agent.token, snapshot);
  await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date('2026-12-01T10:01:00Z'));
});

describe('GET /api/v1/orgs/{org}/findings with imported PolicyReport results', () => {
  it('lists imported findings with their source and engine, and filters by source', async () => {
    const imported = await (await list('source=imported')).json() as { items: Item[]; total: number };
    expect(imported.total).toBe(1);
    expect(imported.items[0]).toMatchObject({
      controlId: 'policyreport.kyverno.disallow-latest-tag', controlTitle: 'Kyverno policy disallow-latest-tag / rule validate-image-tag',
      source: 'imported', importedFrom: 'Kyverno', resourceName: 'web', severity: 'MEDIUM',
      message: 'rule validate-image-tag: validation error: Using a mutable image tag e.g. latest is not allowed.',
    });
    const catalog = await (await list('source=catalog&limit=200')).json() as { items: Item[]; total: number };
    expect(catalog.total).toBeGreaterThan(0);
    expect(catalog.items.every((item) => item.source === 'catalog' && item.importedFrom === null && !item.controlId.startsWith('policyreport.'))).toBe(true);
    expect(catalog.items.map((item) => item.controlId)).toContain('workload.privileged-container');
    const all = await (await list('limit=200')).json() as { total: number };
    expect(all.total).toBe(catalog.total + 1);
  });

  it('finds imported findings by their engine or policy in the search', async () => {
    for (const q of ['Kyverno', 'disallow-latest', 'kyverno policy disallow']) {
      const found = await (await list(`q=${encodeURIComponent(q)}`)).json() as { items: Item[] };
      expect(found.items.map((item) => item.controlId), q).toEqual(['policyreport.kyverno.disallow-latest-tag']);
    }
  });

  it('refuses an unknown source with a 400 naming the parameter', async () => {
    const response = await list('source=kyverno');
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('source');
  });
});
