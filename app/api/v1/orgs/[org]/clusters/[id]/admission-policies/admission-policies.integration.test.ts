import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';
import { admissionPolicyBinding, requestReadingPolicy, requireOwnerLabelPolicy, withAdmissionPolicies } from '@/lib/testing/admission-policies';
import { createClusterWithToken, createMember, createOrg } from '@/lib/testing/factories';
import { getFinding } from '@/lib/services/findings/get-finding';
import { container, deployment, namespace, snapshotOf } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';
import { GET } from './route';
import { GET as listFindings } from '../../../findings/route';

// Issue 23: the cluster's own ValidatingAdmissionPolicies, judged against what already runs, through the real intake
// (the agent's contract), the pipeline, Postgres, and the API route.

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const CONTROL = 'vap.require-owner-label';
let org: { id: string; slug: string };
let other: { id: string; slug: string };
let token: string;
let otherToken: string;
let agentToken: string;
let clusterId: string;

/** payments (env=prod) runs api without an owner label; lab (env=dev) runs toy without one; the binding selects prod only. */
function snapshotAt(day: number, apiOwner?: string): Snapshot {
  const base = snapshotOf(
    [
      namespace('payments', { env: 'prod' }),
      namespace('lab', { env: 'dev' }),
      deployment({ namespace: 'payments', name: 'api', ...(apiOwner ? { labels: { owner: apiOwner } } : {}) }, { containers: [container()] }),
      deployment({ namespace: 'payments', name: 'ledger', labels: { owner: 'team-ledger' } }, { containers: [container()] }),
      deployment({ namespace: 'lab', name: 'toy' }, { containers: [container()] }),
    ],
    { collectedAt: `2026-12-0${day}T10:00:00Z`, clusterUid: 'kube-system-uid-admission-policies' },
  );
  return withAdmissionPolicies(base, {
    validatingadmissionpolicies: [requireOwnerLabelPolicy(), requestReadingPolicy()],
    validatingadmissionpolicybindings: [admissionPolicyBinding('owner-prod', 'require-owner-label', { namespaceLabels: { env: 'prod' } }), admissionPolicyBinding('no-admin', 'no-admin-changes')],
    gatekeeperconstraints: [{ apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: 'K8sRequiredLabels', metadata: { name: 'must-have-owner' }, spec: { enforcementAction: 'dryrun' }, status: { totalViolations: 14 } }],
  });
}

async function pushAndEvaluate(snapshot: Snapshot, at: string) {
  const pushed = await pushSnapshot(agentToken, snapshot);
  expect(pushed.status).toBe('queued');
  const outcome = await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date(at));
  expect(outcome.outcome).toBe('done');
}

const get = async (slug: string, id: string, bearer: string) => {
  const response = await GET(new Request(`http://localhost/api/v1/orgs/${slug}/clusters/${id}/admission-policies`, { headers: { authorization: `Bearer ${bearer}` } }), { params: Promise.resolve({ org: slug, id }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  org = await createOrg();
  other = await createOrg();
  token = (await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'ro', role: 'VIEWER' })).token;
  otherToken = (await createApiToken(systemContext(other.id, 'test', other.slug), { name: 'ro', role: 'VIEWER' })).token;
  const created = await createClusterWithToken(org, 'prod');
  clusterId = created.cluster.id;
  agentToken = created.token;
});

describe("the cluster's own admission policies through the pipeline", () => {
  it('opens a finding for the running Deployment that predates the policy in a selected namespace only, then resolves it once fixed', async () => {
    await pushAndEvaluate(snapshotAt(1), '2026-12-01T10:01:00Z');
    const db = dbFor({ organizationId: org.id });
    const opened = await db.finding.findMany({ where: { controlId: { startsWith: 'vap.' } } });
    expect(opened.map((f) => [f.controlId, f.resourceNamespace, f.resourceName, f.status, f.severity])).toEqual([[CONTROL, 'payments', 'api', 'OPEN', 'HIGH']]);
    expect(opened[0]?.message).toBe('Deployment payments/api was admitted before ValidatingAdmissionPolicy require-owner-label (binding owner-prod, actions Deny) and violates it: Deployment api has no owner label');
    expect(opened[0]?.evidence).toMatchObject({ type: 'admission-policy', policy: 'require-owner-label', binding: 'owner-prod', validationActions: ['Deny'] });
    // The finding page names the policy and says how to fix it (no catalog row does).
    const viewer = (await createMember(org, 'VIEWER')).ctx;
    const page = await getFinding(viewer, opened[0]?.id ?? '');
    expect(page.control).toMatchObject({ title: 'Admission policy require-owner-label', remediation: expect.stringContaining('its next update would be denied otherwise') });

    // The same problem in the next snapshot keeps its finding (stable fingerprint).
    await pushAndEvaluate(snapshotAt(2), '2026-12-02T10:01:00Z');
    expect((await db.finding.findMany({ where: { controlId: CONTROL } })).map((f) => [f.id, f.status])).toEqual([[opened[0]?.id, 'OPEN']]);

    // api gets its owner label: the next snapshot resolves the finding.
    await pushAndEvaluate(snapshotAt(3, 'team-pay'), '2026-12-03T10:01:00Z');
    const after = await db.finding.findMany({ where: { controlId: CONTROL } });
    expect(after.map((f) => [f.id, f.status, f.resolutionReason])).toEqual([[opened[0]?.id, 'RESOLVED', 'FIXED']]);
  });

  it('GET …/clusters/{id}/admission-policies returns each policy and binding, "not evaluable" with its reason, and Gatekeeper metadata; 404 for another organization', async () => {
    await pushAndEvaluate(snapshotAt(4), '2026-12-04T10:01:00Z');
    const { status, body } = await get(org.slug, clusterId, token);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      clusterId,
      recorded: true,
      lists: { validatingadmissionpolicies: { status: 'collected' }, kyvernopolicies: { status: 'not_collected' } },
      policies: [
        {
          name: 'no-admin-changes', controlId: 'vap.no-admin-changes', activeFindings: 0,
          bindings: [{ name: 'no-admin', status: 'not_evaluable', reason: 'validations[0] reads `request`, which does not exist for an object already stored' }],
        },
        {
          name: 'require-owner-label', controlId: CONTROL, failurePolicy: 'Fail', activeFindings: 1,
          bindings: [{ name: 'owner-prod', validationActions: ['Deny'], status: 'evaluated', evaluated: 2, violations: 1, summary: '1 running Deployment predates policy require-owner-label and violates it' }],
        },
      ],
      gatekeeper: [{ kind: 'K8sRequiredLabels', name: 'must-have-owner', enforcementAction: 'dryrun', totalViolations: 14 }],
    });
    // The not-evaluable policy is recorded as such with the evaluation, never as a pass.
    const run = await dbFor({ organizationId: org.id }).evaluationRun.findFirstOrThrow({ where: { clusterId }, orderBy: { startedAt: 'desc' } });
    const outcomes = run.controlResults as { controlId: string; status: string; reason?: string }[];
    expect(outcomes.find((o) => o.controlId === 'vap.no-admin-changes')).toMatchObject({ status: 'not_applicable', reason: expect.stringMatching(/^not evaluable: /) });

    // The findings list names the policy's findings by it.
    const listed = await listFindings(new Request(`http://localhost/api/v1/orgs/${org.slug}/findings?clusterId=${clusterId}&controlId=${CONTROL}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ org: org.slug }) });
    const { items } = (await listed.json()) as { items: { resourceName: string; controlTitle: string | null; source: string }[] };
    expect(items.map((item) => [item.resourceName, item.controlTitle, item.source])).toEqual([['api', 'Admission policy require-owner-label', 'admission']]);
    // The source filter: the cluster's admission policies alone, and never among the catalog's findings.
    const bySource = async (source: string) => {
      const response = await listFindings(new Request(`http://localhost/api/v1/orgs/${org.slug}/findings?clusterId=${clusterId}&source=${source}&limit=100`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ org: org.slug }) });
      return ((await response.json()) as { items: { controlId: string }[] }).items.map((item) => item.controlId);
    };
    expect(await bySource('admission')).toEqual([CONTROL]);
    const catalog = await bySource('catalog');
    expect(catalog.length).toBeGreaterThan(0);
    expect(catalog.some((id) => id.startsWith('vap.'))).toBe(false);

    expect((await get(other.slug, clusterId, otherToken)).status).toBe(404);
    expect((await get(org.slug, '00000000-0000-4000-8000-000000000000', token)).status).toBe(404);
  });
});
