import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { CUSTOM_CONTROL_EXAMPLES } from '@/lib/analysis/cel';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { closeProducers } from '@/lib/platform/queue/producers';
import { seedCatalog } from '@/lib/services/catalog/seed-catalog';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { PreviewPool, replacePreviewPoolForTests } from '@/lib/services/policies/preview-pool';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { ingress, namespace, snapshotOf } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';
import { POST } from './route';

/*
 * The preview route through its door (an API token, JSON in and out): the answer from the preview pool's thread, and
 * 429 with Retry-After while the organization's own preview is still running (held at a gate in a test build of the
 * worker, __fixtures__/gated-preview-worker.mjs, so "still running" is a fact, not a race).
 */
afterAll(async () => { await replacePreviewPoolForTests(undefined); await closeProducers(); await disconnectDb(); });

const GATED_WORKER = path.join(process.cwd(), 'lib/services/policies/__fixtures__/gated-preview-worker.mjs');
const example = CUSTOM_CONTROL_EXAMPLES.find((e) => e.key === 'ingress-security-review')!;
const rules = (host: string) => [{ host, http: { paths: [] } }];

describe('POST /api/v1/orgs/{org}/custom-controls/preview', () => {
  it('answers the failing objects; a second preview of the organization while one runs is 429 with Retry-After', async () => {
    await seedCatalog();
    const org = await createOrg();
    const { cluster, token: agentToken } = await createClusterWithToken(org, 'edge');
    const pushed = await pushSnapshot(agentToken, snapshotOf([
      namespace('web'),
      ...['shop', 'api'].map((name) => ingress({ name, namespace: 'web' }, { rules: rules(`${name}.example.com`) })),
    ], { collectedAt: '2026-05-01T10:00:00Z', clusterUid: 'uid-preview-route' }));
    await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId);
    const { token } = await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'preview', role: 'ADMIN' });
    const preview = () => POST(new Request(`http://localhost/api/v1/orgs/${org.slug}/custom-controls/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rule: example.rule, clusterIds: [cluster.id] }),
    }), { params: Promise.resolve({ org: org.slug }) });

    const gate = new Int32Array(new SharedArrayBuffer(8));
    await replacePreviewPoolForTests(new PreviewPool({ filename: GATED_WORKER, threads: 1, workerData: { gate, gatedOrganizationId: org.id } }));
    const held = preview();
    while (Atomics.load(gate, 1) === 0) await sleep(10);

    const refused = await preview();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ error: { message: expect.stringContaining('A preview of this organization is already running') } });

    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    const answered = await held;
    expect(answered.status).toBe(200);
    const body = (await answered.json()) as { clusters: { clusterName: string; failingTotal: number; evaluated: number; stopped: boolean }[] };
    expect(body.clusters).toEqual([expect.objectContaining({ clusterName: 'edge', evaluated: 2, failingTotal: 2, stopped: false })]);
  });
});
