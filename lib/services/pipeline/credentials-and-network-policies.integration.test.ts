import { afterAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../analysis/snapshot/build';
import { systemContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { createClusterWithToken, createOrg } from '../../testing/factories';
import { container, deployment, namespace, networkPolicy, podSpec } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { evaluateStoredSnapshot } from './evaluate-stored-snapshot';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const PLANTED = 'ghp_R4nd0mG1tHubT0k3nV4lu3xxxxxxxxxxxxxx1';

describe('issue 21 through the intake and the pipeline', () => {
  it('stores findings for a credential in a ConfigMap and in arguments, and for a default deny undone by an allow-all rule, without the value', async () => {
    const org = await createOrg();
    const { token } = await createClusterWithToken(org, 'prod');
    const raw = [
      namespace('shop'),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { GITHUB_TOKEN: PLANTED, 'app.yaml': 'replicas: 2' } },
      deployment({ namespace: 'shop', name: 'api' }, podSpec({ containers: [container({ name: 'api', args: [`--github-token=${PLANTED}`] })] })),
      networkPolicy({ namespace: 'shop', name: 'default-deny' }),
      networkPolicy({ namespace: 'shop', name: 'allow-all' }, { podSelector: {}, ingress: [{}] }),
    ];
    // The agent's own path: raw objects in, the redacted snapshot out.
    const { snapshot } = buildSnapshot({ objects: raw, cluster: { uid: 'uid-issue-21', name: 'prod', provider: 'kind' }, collectedAt: '2026-03-01T10:00:00Z', agentVersion: '0.0.0-test', mode: 'in-cluster' });
    const pushed = await pushSnapshot(token, snapshot);
    await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date('2026-03-01T10:05:00Z'));

    const findings = await dbFor({ organizationId: org.id }).finding.findMany({
      where: { controlId: { in: ['secrets.credential-in-configmap', 'workload.credential-in-args', 'namespace.default-deny-missing', 'network.policy-isolates-nothing'] } },
      orderBy: { controlId: 'asc' },
    });
    expect(findings.map((f) => [f.controlId, f.resourceKind, f.resourceName])).toEqual([
      ['namespace.default-deny-missing', 'Namespace', 'shop'],
      ['network.policy-isolates-nothing', 'NetworkPolicy', 'allow-all'],
      ['secrets.credential-in-configmap', 'ConfigMap', 'settings'],
      ['workload.credential-in-args', 'Deployment', 'api'],
    ]);
    expect(JSON.stringify(findings)).not.toContain(PLANTED);
    expect(JSON.stringify(findings)).not.toContain('replicas: 2');
  });
});
