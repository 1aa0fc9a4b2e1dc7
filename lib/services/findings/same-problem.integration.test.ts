import { afterAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { evaluateStoredSnapshot } from '../pipeline/evaluate-stored-snapshot';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { clusterRole, clusterRoleBinding, namespace, serviceAccount, serviceAccountSubject, snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { getFinding } from './get-finding';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

// An operator's ClusterRole that grants escalate/bind on roles and impersonate: one binding, two problems.
const objects = [
  namespace('operators'),
  serviceAccount({ namespace: 'operators', name: 'shipyard' }),
  clusterRole({ name: 'shipyard' }, [
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles', 'roles'], verbs: ['escalate', 'bind'] },
    { apiGroups: [''], resources: ['users', 'groups', 'serviceaccounts'], verbs: ['impersonate'] },
  ]),
  clusterRoleBinding({ name: 'shipyard' }, { name: 'shipyard' }, [serviceAccountSubject('operators', 'shipyard')]),
];

describe('the same problem on other clusters', () => {
  it('lists each other cluster once, with the finding that has the same verb, and names the sibling on the same binding', async () => {
    const org = await createOrg();
    for (const [i, name] of ['staging', 'prod', 'dev'].entries()) {
      const { token } = await createClusterWithToken(org, name);
      const pushed = await pushSnapshot(token, snapshotOf(objects, { collectedAt: '2026-03-01T10:00:00Z', clusterUid: `uid-same-${i}` }));
      await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date('2026-03-01T10:01:00Z'));
    }
    const { ctx } = await createMember(org, 'VIEWER');
    const findings = await dbFor(ctx).finding.findMany({ where: { controlId: 'rbac.escalation-verbs' }, include: { cluster: { select: { name: true } } } });
    expect(findings).toHaveLength(6); // two per cluster, which the page must tell apart

    const impersonateOnDev = findings.find((f) => f.cluster.name === 'dev' && f.message.includes('impersonate'))!;
    const page = await getFinding(ctx, impersonateOnDev.id);
    // "prod, staging": not "prod, prod, staging, staging".
    expect(page.otherClusters.map((other) => other.clusterName)).toEqual(['prod', 'staging']);
    for (const other of page.otherClusters) {
      expect(findings.find((f) => f.id === other.findingId)?.message).toContain('impersonate');
    }
    expect(page.sameResource.map((sibling) => sibling.message)).toEqual([expect.stringContaining('can escalate, bind roles')]);
  });
});
