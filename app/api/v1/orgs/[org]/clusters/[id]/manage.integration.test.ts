import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { DELETE, PATCH } from './route';
import { POST as MINT } from './install-links/route';
import { GET as MANIFESTS } from './manifests/route';
import { GET as INSTALL } from '@/app/api/install/[org]/[token]/route';
import { POST as PUSH } from '@/app/api/v1/snapshots/route';
import { systemContext } from '@/lib/platform/auth/context';
import { hashToken } from '@/lib/platform/auth/tokens';
import { disconnectDb } from '@/lib/platform/db/client';
import { systemDb } from '@/lib/platform/db/tenant';
import { getDashboard } from '@/lib/services/dashboard/get-dashboard';
import { env } from '@/lib/platform/env';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { markStaleClusters } from '@/lib/services/pipeline/maintenance';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { closeProducers } from '@/lib/platform/queue/producers';
import { app, baseObjects, orgWithFindings } from '@/lib/testing/findings-fixture';
import { createClusterWithToken, createMember, createOrg } from '@/lib/testing/factories';
import { snapshotOf } from '@/lib/testing/k8s';
import { archiveCluster, deleteCluster, updateCluster } from '@/lib/services/clusters/manage-cluster';
import { createInstallLink, redeemInstallLink, INSTALL_LINK_TTL_MINUTES } from '@/lib/services/clusters/install-links';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

async function adminToken(org: { id: string; slug: string }, role: 'ADMIN' | 'VIEWER' = 'ADMIN') {
  return (await createApiToken(systemContext(org.id, 'test', org.slug), { name: `t-${role}`, role })).token;
}

function api(method: string, url: string, token: string, body?: unknown) {
  return new Request(`http://localhost${url}`, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
const params = <P>(value: P) => ({ params: Promise.resolve(value) });

function push(agentToken: string, clusterUid = 'uid-manage', collectedAt = new Date().toISOString()) {
  return PUSH(new Request('http://localhost/api/v1/snapshots', {
    method: 'POST', body: gzipSync(JSON.stringify(snapshotOf(baseObjects(), { collectedAt, clusterUid }))),
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${agentToken}` },
  }));
}

async function auditActions(organizationId: string) {
  return (await systemDb().auditLog.findMany({ where: { organizationId }, orderBy: { seq: 'asc' }, select: { action: true } })).map((row) => row.action);
}

describe('managing a cluster', () => {
  it('renames it and sets its environment and labels through the API, audited; bad input gets a clear 400 and changes nothing', async () => {
    const fx = await orgWithFindings(['api'], 'prod');
    const token = await adminToken(fx.org);
    const url = `/api/v1/orgs/${fx.org.slug}/clusters/${fx.cluster.id}`;
    const ok = await PATCH(api('PATCH', url, token, { name: 'prod-eu', environment: 'PRODUCTION', labels: { team: 'payments', 'acme.io/region': 'eu-west-1' } }), params({ org: fx.org.slug, id: fx.cluster.id }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ cluster: { name: 'prod-eu', environment: 'PRODUCTION', labels: { team: 'payments', 'acme.io/region': 'eu-west-1' } } });

    const bad = await PATCH(api('PATCH', url, token, { labels: { 'bad key!': 'x' }, name: 'Not Valid' }), params({ org: fx.org.slug, id: fx.cluster.id }));
    expect(bad.status).toBe(400);
    const error = (await bad.json()) as { error: { issues: { path: string }[] } };
    expect(error.error.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['name']));
    expect(await fx.db.cluster.findUniqueOrThrow({ where: { id: fx.cluster.id } })).toMatchObject({ name: 'prod-eu', environment: 'PRODUCTION' });

    await createClusterWithToken(fx.org, 'staging');
    const taken = await PATCH(api('PATCH', url, token, { name: 'staging' }), params({ org: fx.org.slug, id: fx.cluster.id }));
    expect(taken.status).toBe(409);
    expect(await auditActions(fx.org.id)).toContain('cluster.updated');

    const viewer = await createMember(fx.org, 'VIEWER');
    await expect(updateCluster(viewer.ctx, { clusterId: fx.cluster.id, name: 'viewer-was-here' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('answers another organization\'s admin with 404 for every change, and changes nothing', async () => {
    const fx = await orgWithFindings(['api'], 'prod');
    const other = await createOrg();
    const globexAdmin = await createMember(other, 'ADMIN');
    const globexToken = await adminToken(other);
    const before = await fx.db.cluster.findUniqueOrThrow({ where: { id: fx.cluster.id } });

    await expect(updateCluster(globexAdmin.ctx, { clusterId: fx.cluster.id, name: 'stolen' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(archiveCluster(globexAdmin.ctx, { clusterId: fx.cluster.id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(deleteCluster(globexAdmin.ctx, { clusterId: fx.cluster.id, confirmName: 'prod' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(createInstallLink(globexAdmin.ctx, { clusterId: fx.cluster.id })).rejects.toMatchObject({ code: 'not_found' });
    for (const slug of [fx.org.slug, other.slug]) {
      const url = `/api/v1/orgs/${slug}/clusters/${fx.cluster.id}`;
      expect((await PATCH(api('PATCH', url, globexToken, { archived: true }), params({ org: slug, id: fx.cluster.id }))).status).toBe(404);
      expect((await DELETE(api('DELETE', `${url}?confirm=prod`, globexToken), params({ org: slug, id: fx.cluster.id }))).status).toBe(404);
      expect((await MINT(api('POST', `${url}/install-links`, globexToken, {}), params({ org: slug, id: fx.cluster.id }))).status).toBe(404);
      expect((await MANIFESTS(api('GET', `${url}/manifests`, globexToken), params({ org: slug, id: fx.cluster.id }))).status).toBe(404);
    }
    expect(await fx.db.cluster.findUniqueOrThrow({ where: { id: fx.cluster.id } })).toEqual(before);
    expect(await fx.db.clusterInstallLink.count()).toBe(0);
  });

  it('archives: history stays, no staleness alert, the agent gets a 409 naming the archive, and the dashboard stops counting it', async () => {
    const fx = await orgWithFindings(['api', 'web'], 'prod');
    const control = await createClusterWithToken(fx.org, 'staging');
    const pushed = await push(control.token);
    expect(pushed.status).toBe(202);
    await evaluateStoredSnapshot(systemContext(fx.org.id, 'test'), ((await pushed.json()) as { snapshotId: string }).snapshotId);
    const admin = await createMember(fx.org, 'ADMIN');
    const dashboardBefore = await getDashboard(admin.ctx);
    expect(dashboardBefore.bySeverity.CRITICAL).toBeGreaterThan(0);

    const token = await adminToken(fx.org);
    const archived = await PATCH(api('PATCH', `/api/v1/orgs/${fx.org.slug}/clusters/${fx.cluster.id}`, token, { archived: true }), params({ org: fx.org.slug, id: fx.cluster.id }));
    expect(archived.status).toBe(200);

    // A day of silence later: the active cluster is stale, the archived one raises nothing.
    await markStaleClusters(new Date(Date.now() + 86_400_000));
    expect((await fx.db.cluster.findUniqueOrThrow({ where: { id: control.cluster.id } })).staleSince).not.toBeNull();
    expect((await fx.db.cluster.findUniqueOrThrow({ where: { id: fx.cluster.id } })).staleSince).toBeNull();
    expect(await fx.db.finding.count({ where: { clusterId: fx.cluster.id, controlId: 'platform.agent-not-reporting' } })).toBe(0);

    const refused = await push(fx.token);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('Cluster "prod" is archived');

    const dashboard = await getDashboard(admin.ctx);
    expect(dashboard.clusters.map((cluster) => cluster.name)).toEqual(['staging']);
    // The organization's score is now staging's alone: a requirement failing only on the archived cluster passes.
    const latest = (clusterId: string | null) => fx.db.scorePoint.findFirstOrThrow({ where: { clusterId, frameworkId: 'cis-k8s-1.9' }, orderBy: { at: 'desc' } });
    expect((await latest(null)).score).toBe((await latest(control.cluster.id)).score);
    expect((await latest(null)).score).not.toBe(dashboardBefore.frameworks.find((f) => f.frameworkId === 'cis-k8s-1.9')?.score);
    expect(dashboard.bySeverity.CRITICAL).toBe(0);
    // History stays: the findings and snapshots are still there for the cluster's own page.
    expect(await fx.db.finding.count({ where: { clusterId: fx.cluster.id } })).toBeGreaterThan(0);
    expect(await auditActions(fx.org.id)).toContain('cluster.archived');

    const restored = await PATCH(api('PATCH', `/api/v1/orgs/${fx.org.slug}/clusters/${fx.cluster.id}`, token, { archived: false }), params({ org: fx.org.slug, id: fx.cluster.id }));
    expect(restored.status).toBe(200);
    expect((await getDashboard(admin.ctx)).bySeverity.CRITICAL).toBe(dashboardBefore.bySeverity.CRITICAL);
  });

  it('deletes only after the name is typed, removing the cluster\'s data and keeping the audit log and the other clusters', async () => {
    const fx = await orgWithFindings(['api', 'web'], 'prod');
    await fx.evaluate(2, [...baseObjects(), app('api')]);
    const keep = await createClusterWithToken(fx.org, 'staging');
    expect((await push(keep.token)).status).toBe(202);
    const token = await adminToken(fx.org);
    const url = `/api/v1/orgs/${fx.org.slug}/clusters/${fx.cluster.id}`;

    const unconfirmed = await DELETE(api('DELETE', `${url}?confirm=prd`, token), params({ org: fx.org.slug, id: fx.cluster.id }));
    expect(unconfirmed.status).toBe(400);
    expect(((await unconfirmed.json()) as { error: { message: string } }).error.message).toContain('Type the cluster\'s name, "prod"');
    expect(await fx.db.cluster.count({ where: { id: fx.cluster.id } })).toBe(1);

    const deleted = await DELETE(api('DELETE', `${url}?confirm=prod`, token), params({ org: fx.org.slug, id: fx.cluster.id }));
    expect(deleted.status).toBe(200);
    const where = { clusterId: fx.cluster.id };
    const left = await Promise.all([
      fx.db.cluster.count({ where: { id: fx.cluster.id } }), fx.db.snapshot.count({ where }), fx.db.evaluationRun.count({ where }),
      fx.db.finding.count({ where }), fx.db.agentToken.count({ where }), fx.db.scorePoint.count({ where }),
      fx.db.scoreDaily.count({ where: { scopeKey: fx.cluster.id } }), fx.db.findingException.count({ where }),
    ]);
    expect(left).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    // The tally is append-only for the web app: the deleted findings' deltas cancel out (compaction drops them).
    expect((await fx.db.findingTally.aggregate({ where, _sum: { n: true } }))._sum.n ?? 0).toBe(0);
    expect(await fx.db.snapshot.count({ where: { clusterId: keep.cluster.id } })).toBe(1);
    const entry = await systemDb().auditLog.findFirstOrThrow({ where: { organizationId: fx.org.id, action: 'cluster.deleted' } });
    expect(entry).toMatchObject({ targetId: fx.cluster.id, before: { name: 'prod', snapshots: 2 } });
    expect(await auditActions(fx.org.id)).toContain('cluster.created');
  });
});

describe('installing the agent from a link', () => {
  it('serves the manifests with a working agent token once, then answers 410; the link is stored only as a hash', async () => {
    const fx = await orgWithFindings(['api'], 'prod');
    const token = await adminToken(fx.org);
    const minted = await MINT(api('POST', `/api/v1/orgs/${fx.org.slug}/clusters/${fx.cluster.id}/install-links`, token, {}), params({ org: fx.org.slug, id: fx.cluster.id }));
    expect(minted.status).toBe(201);
    const link = (await minted.json()) as { url: string; command: string; expiresAt: string };
    expect(link.command).toBe(`kubectl apply -f ${link.url}`);
    expect(link.url.startsWith(`${env().APP_URL}/api/install/${fx.org.slug}/bwl_`)).toBe(true);
    const secret = link.url.split('/').at(-1)!;
    const row = await systemDb().clusterInstallLink.findFirstOrThrow({ where: { organizationId: fx.org.id }, select: { tokenHash: true, expiresAt: true } });
    expect(row.tokenHash).toBe(hashToken(secret));
    expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(INSTALL_LINK_TTL_MINUTES * 60_000);

    const first = await INSTALL(new Request(link.url), params({ org: fx.org.slug, token: secret }));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/yaml');
    expect(first.headers.get('cache-control')).toBe('no-store');
    const objects = parseAllDocuments(await first.text()).map((doc) => doc.toJS() as { kind: string; data?: Record<string, string>; stringData?: Record<string, string>; spec?: { template: { spec: { containers: { image: string }[] } } } });
    expect(objects.find((o) => o.kind === 'ConfigMap')?.data?.server).toBe(env().APP_URL);
    expect(objects.find((o) => o.kind === 'Deployment')?.spec?.template.spec.containers[0]?.image).toBe(env().AGENT_IMAGE);
    const agentToken = objects.find((o) => o.kind === 'Secret')?.stringData?.token ?? '';
    expect(agentToken).toMatch(/^bwa_/);
    expect((await push(agentToken, `uid-${fx.cluster.id}`)).status).toBe(202);

    const again = await INSTALL(new Request(link.url), params({ org: fx.org.slug, token: secret }));
    expect(again.status).toBe(410);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain('already used');
    expect(await fx.db.agentToken.count({ where: { clusterId: fx.cluster.id } })).toBe(2);
    expect(await auditActions(fx.org.id)).toEqual(expect.arrayContaining(['install_link.created', 'install_link.used']));
  });

  it('stops working after its lifetime with 410, and is a 404 under another organization\'s slug or when made up', async () => {
    const fx = await orgWithFindings(['api'], 'prod');
    const other = await createOrg();
    const admin = await createMember(fx.org, 'ADMIN');
    const link = await createInstallLink(admin.ctx, { clusterId: fx.cluster.id });
    const secret = link.url.split('/').at(-1)!;

    const elsewhere = await INSTALL(new Request(`http://localhost/api/install/${other.slug}/${secret}`), params({ org: other.slug, token: secret }));
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.text()).not.toContain('prod');
    expect((await INSTALL(new Request('http://localhost/x'), params({ org: fx.org.slug, token: 'bwl_made-up' }))).status).toBe(404);

    await expect(redeemInstallLink(fx.org.slug, secret, new Date(Date.now() + (INSTALL_LINK_TTL_MINUTES + 1) * 60_000))).rejects.toMatchObject({ code: 'gone', message: expect.stringContaining('expired') });
    expect(await fx.db.agentToken.count({ where: { clusterId: fx.cluster.id } })).toBe(1);
    // Still unused and within its lifetime now: the refusals above did not consume it.
    expect((await INSTALL(new Request(link.url), params({ org: fx.org.slug, token: secret }))).status).toBe(200);
  });

  it('is minted by owners and admins only, and the downloadable YAML carries no token', async () => {
    const fx = await orgWithFindings(['api'], 'prod');
    const member = await createMember(fx.org, 'MEMBER');
    await expect(createInstallLink(member.ctx, { clusterId: fx.cluster.id })).rejects.toMatchObject({ code: 'forbidden' });
    const viewerToken = await adminToken(fx.org, 'VIEWER');
    const download = await MANIFESTS(api('GET', `/api/v1/orgs/${fx.org.slug}/clusters/${fx.cluster.id}/manifests`, viewerToken), params({ org: fx.org.slug, id: fx.cluster.id }));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="bulwark-agent-prod.yaml"');
    const text = await download.text();
    expect(text).not.toContain('kind: Secret');
    expect(text).not.toContain('bwa_');
  });
});
