import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as WHO_CAN } from './who-can/route';
import { GET as WHAT_CAN } from './what-can/route';
import { GET as COMPARE } from './compare/route';
import { systemContext } from '@/lib/platform/auth/context';
import { accessCandidates } from '@/lib/platform/db/access-sql';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { seedCatalog } from '@/lib/services/catalog/seed-catalog';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { clusterRole, group, namespace, pod, role, roleBinding, serviceAccount, serviceAccountSubject, snapshotOf, user } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const DAY = 86_400_000;
const t0 = Date.now() - 10 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();

/** The RBAC of the cluster: alice reads Secrets in payments through an aggregated ClusterRole; CI's ServiceAccount group too. */
const rbac = (): KubeObject[] => [
  namespace('payments'),
  clusterRole({ name: 'payments-ops' }, [], { clusterRoleSelectors: [{ matchLabels: { 'aggregate-to-payments-ops': 'true' } }] }),
  clusterRole({ name: 'secret-reader', labels: { 'aggregate-to-payments-ops': 'true' } }, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]),
  roleBinding({ name: 'alice-ops', namespace: 'payments' }, { kind: 'ClusterRole', name: 'payments-ops' }, [user('alice')]),
  roleBinding({ name: 'ci', namespace: 'payments' }, { kind: 'ClusterRole', name: 'secret-reader' }, [group('system:serviceaccounts:payments')]),
  serviceAccount({ name: 'api', namespace: 'payments' }),
];
const exec = (): KubeObject[] => [
  role({ name: 'debug', namespace: 'payments' }, [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]),
  roleBinding({ name: 'bob-debug', namespace: 'payments' }, { kind: 'Role', name: 'debug' }, [user('bob'), serviceAccountSubject('payments', 'not-yet')]),
];

let org: { id: string; slug: string; name: string };
let other: { id: string; slug: string };
let clusterId: string;
let secondClusterId: string;
let token: string;
let otherToken: string;
const counts: { sets: number; rules: number; bindings: number; snapshots: number }[] = [];

async function tableCounts(organizationId: string) {
  const db = dbFor({ organizationId });
  const [sets, rules, bindings, snapshots] = await Promise.all([db.accessPermissionSet.count(), db.accessRule.count(), db.accessBinding.count(), db.accessSnapshot.count()]);
  return { sets, rules, bindings, snapshots };
}

async function pushAndEvaluate(agentToken: string, objects: KubeObject[], collectedAt: string, clusterUid: string) {
  const pushed = await pushSnapshot(agentToken, snapshotOf(objects, { collectedAt, clusterUid }));
  const outcome = await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId);
  expect(outcome.outcome).toBe('done');
}

function get(handler: typeof WHO_CAN, path: string, query: Record<string, string>, bearer = token, slug = org.slug, id = clusterId) {
  const url = `http://localhost/api/v1/orgs/${slug}/clusters/${id}/access/${path}?${new URLSearchParams(query).toString()}`;
  return handler(new Request(url, { headers: { authorization: `Bearer ${bearer}` } }), { params: Promise.resolve({ org: slug, id }) });
}

type WhoCanBody = { at: { collectedAt: string }; subjects: { description: string; rights: { grant: { chain: { binding: { name: string }; role: { name: string }; aggregatedFrom?: string[] } }; riskLabels: string[] }[] }[] };

beforeAll(async () => {
  await seedCatalog();
  const created = await createOrg('Access Acme');
  org = created;
  other = await createOrg('Access Globex');
  const cluster = await createClusterWithToken(created, 'payments-prod');
  const second = await createClusterWithToken(created, 'payments-staging');
  clusterId = cluster.cluster.id;
  secondClusterId = second.cluster.id;
  token = (await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'reader', role: 'VIEWER' })).token;
  otherToken = (await createApiToken(systemContext(other.id, 'test', other.slug), { name: 'reader', role: 'ADMIN' })).token;

  await pushAndEvaluate(cluster.token, [...rbac(), pod({ name: 'web-1', namespace: 'payments' })], iso(t0), 'uid-access-1');
  counts.push(await tableCounts(org.id));
  // The same RBAC, other pods: the agent re-pushes a changed snapshot whose permissions did not change.
  await pushAndEvaluate(cluster.token, [...rbac(), pod({ name: 'web-2', namespace: 'payments' })], iso(t0 + 2 * DAY), 'uid-access-1');
  counts.push(await tableCounts(org.id));
  await pushAndEvaluate(cluster.token, [...rbac(), ...exec(), pod({ name: 'web-2', namespace: 'payments' })], iso(t0 + 4 * DAY), 'uid-access-1');
  counts.push(await tableCounts(org.id));
  await pushAndEvaluate(second.token, [namespace('payments'), ...exec()], iso(t0 + 4 * DAY), 'uid-access-2');
}, 120_000);

describe('the access explorer API', () => {
  it('stores one permission table per distinct RBAC: an unchanged re-push adds a pointer and no permission rows', () => {
    const [first, repush, changed] = counts as [typeof counts[0], typeof counts[0], typeof counts[0]];
    expect(first.sets).toBe(1);
    expect(first.rules).toBeGreaterThan(0);
    expect(repush).toEqual({ ...first, snapshots: 2 });
    expect(changed.sets).toBe(2);
    expect(changed.snapshots).toBe(3);
  });

  it('answers who can read Secrets in payments with each chain, aggregation and groups included', async () => {
    const response = await get(WHO_CAN, 'who-can', { verb: 'get', resource: 'secrets', namespace: 'payments' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as WhoCanBody;
    expect(body.subjects.map((s) => s.description)).toEqual(['Group system:serviceaccounts:payments (every ServiceAccount in payments)', 'User alice']);
    const alice = body.subjects[1]?.rights[0];
    expect(alice?.grant.chain).toMatchObject({ binding: { name: 'alice-ops' }, role: { name: 'payments-ops' }, aggregatedFrom: ['secret-reader'] });
    expect(alice?.riskLabels).toEqual(['reads Secrets']);
    // Another namespace: a RoleBinding grants nothing there.
    const billing = (await (await get(WHO_CAN, 'who-can', { verb: 'get', resource: 'secrets', namespace: 'billing' })).json()) as WhoCanBody;
    expect(billing.subjects).toEqual([]);
  });

  it('travels in time: the nearest evaluated snapshot at or before the date, and 404 before the cluster had one', async () => {
    const before = (await (await get(WHO_CAN, 'who-can', { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'payments', at: iso(t0 + 3 * DAY) })).json()) as WhoCanBody;
    expect(before.at.collectedAt).toBe(iso(t0 + 2 * DAY));
    expect(before.subjects).toEqual([]);
    const now = (await (await get(WHO_CAN, 'who-can', { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'payments' })).json()) as WhoCanBody;
    expect(now.at.collectedAt).toBe(iso(t0 + 4 * DAY));
    expect(now.subjects.map((s) => s.description)).toEqual(['ServiceAccount payments/not-yet', 'User bob']);
    const tooEarly = await get(WHO_CAN, 'who-can', { verb: 'get', resource: 'secrets', at: iso(t0 - DAY).slice(0, 10) });
    expect(tooEarly.status).toBe(404);
    expect(((await tooEarly.json()) as { error: { message: string } }).error.message).toContain(`its first is from ${iso(t0)}`);
  });

  it('answers what a ServiceAccount can do, through its namespace group, dangerous first', async () => {
    const response = await get(WHAT_CAN, 'what-can', { kind: 'ServiceAccount', name: 'api', namespace: 'payments' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { namespaces: { namespace: string | null; entries: { through?: { name: string }; riskLabels: string[] }[] }[] };
    expect(body.namespaces.map((n) => n.namespace)).toEqual(['payments']);
    expect(body.namespaces[0]?.entries[0]).toMatchObject({ through: { name: 'system:serviceaccounts:payments' }, riskLabels: ['reads Secrets'] });
  });

  it('compares two dates and two clusters: rights gained and lost per subject', async () => {
    const byDate = (await (await get(COMPARE, 'compare', { from: iso(t0 + DAY) })).json()) as { subjects: { description: string; gained: { right: { verb: string; resource: string } }[]; lost: unknown[]; gainedRisks: string[] }[] };
    expect(byDate.subjects.map((s) => [s.description, s.gained.map((g) => `${g.right.verb} ${g.right.resource}`), s.lost.length])).toEqual([
      ['ServiceAccount payments/not-yet', ['create pods/exec'], 0],
      ['User bob', ['create pods/exec'], 0],
    ]);
    expect(byDate.subjects[1]?.gainedRisks).toEqual(['execs into or attaches to pods']);
    const clusters = (await (await get(COMPARE, 'compare', { otherCluster: secondClusterId })).json()) as { subjects: { description: string; gained: unknown[]; lost: unknown[] }[] };
    expect(clusters.subjects.map((s) => [s.description, s.gained.length, s.lost.length > 0])).toEqual([
      ['Group system:serviceaccounts:payments (every ServiceAccount in payments)', 0, true],
      ['User alice', 0, true],
    ]);
  });

  it('answers unknown verbs (nobody here holds "*"), and refuses malformed input with 400 naming the field', async () => {
    const unknown = await get(WHO_CAN, 'who-can', { verb: 'frobnicate', resource: 'widgets', apiGroup: 'example.com' });
    expect(unknown.status).toBe(200);
    expect(((await unknown.json()) as WhoCanBody).subjects).toEqual([]);
    for (const [handler, path, query, field] of [
      [WHO_CAN, 'who-can', { resource: 'secrets' }, 'verb'],
      [WHO_CAN, 'who-can', { verb: 'get', resource: 'secrets', namespace: 'Not_A_Namespace' }, 'namespace'],
      [WHO_CAN, 'who-can', { verb: 'get', resource: 'secrets', at: 'last march' }, 'at'],
      [WHAT_CAN, 'what-can', { kind: 'ServiceAccount', name: 'api' }, 'namespace'],
      [WHAT_CAN, 'what-can', { kind: 'Robot', name: 'x' }, 'kind'],
      [COMPARE, 'compare', {}, 'from'],
      [COMPARE, 'compare', { otherCluster: 'nope' }, 'otherCluster'],
    ] as const) {
      const response = await get(handler, path, query);
      expect(response.status, `${path} ${JSON.stringify(query)}`).toBe(400);
      const body = (await response.json()) as { error: { issues: { path: string }[] } };
      expect(body.error.issues.map((i) => i.path)).toContain(field);
    }
  });

  it('is another organization\'s 404: its token on this org, its own org with this cluster, and the raw lookup', async () => {
    expect((await get(WHO_CAN, 'who-can', { verb: 'get', resource: 'secrets' }, otherToken)).status).toBe(404);
    const ownSlug = await get(WHO_CAN, 'who-can', { verb: 'get', resource: 'secrets' }, otherToken, other.slug);
    expect(ownSlug.status).toBe(404);
    expect(await ownSlug.text()).not.toContain('alice');
    const compareOther = await get(COMPARE, 'compare', { otherCluster: clusterId }, otherToken, other.slug, clusterId);
    expect(compareOther.status).toBe(404);
    // The raw SQL with another organization's scope finds nothing of this one's set.
    const set = await dbFor({ organizationId: org.id }).accessPermissionSet.findFirstOrThrow({ select: { id: true } });
    const leaked = await dbFor({ organizationId: other.id }).$transaction((tx) => accessCandidates(tx, other.id, set.id, { verbs: ['*', 'get'], apiGroups: ['*', ''], resources: ['*', 'secrets'] }, null));
    expect(leaked.rules).toEqual([]);
    const forged = await dbFor({ organizationId: other.id }).$transaction((tx) => accessCandidates(tx, org.id, set.id, { verbs: ['*', 'get'], apiGroups: ['*', ''], resources: ['*', 'secrets'] }, null));
    expect(forged.rules).toEqual([]);
  });
});
