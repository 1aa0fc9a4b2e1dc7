import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { closeProducers } from '@/lib/platform/queue/producers';
import { seedCatalog } from '@/lib/services/catalog/seed-catalog';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { createCustomControl, setCustomControlEnabled } from '@/lib/services/policies/custom-controls';
import { createOrgFramework } from '@/lib/services/policies/org-frameworks';
import { generateReport } from '@/lib/services/reports/generate-report';
import { createClusterWithToken, createMember, createOrg } from '@/lib/testing/factories';
import { deployment, namespace, snapshotOf } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';
import { GET as getScores } from '../scores/route';
import { GET as download } from './[id]/download/route';
import { POST } from './route';

// Issue 23 through the v1 API: an auditor's token requests the report of the organization's own framework
// (org:<key>) and downloads it; the scores endpoint serves that framework's recorded history.

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const NOW = Date.now();
const at = (daysAgo: number) => new Date(NOW - daysAgo * 86_400_000);
let org: { id: string; slug: string };
let admin: OrgContext;
let token: string;

const call = (method: 'GET' | 'POST', path: string, body?: unknown) => new Request(`http://localhost/api/v1/orgs/${org.slug}${path}`, {
  method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
});
const params = <T extends object>(extra: T) => ({ params: Promise.resolve({ org: org.slug, ...extra }) });

beforeAll(async () => {
  await seedCatalog();
  org = await createOrg();
  admin = (await createMember(org, 'ADMIN')).ctx;
  token = (await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'audit', role: 'AUDITOR' })).token;
  await createOrgFramework(admin, { key: 'acme-platform', name: 'Acme platform policy', requirements: [{ code: 'AP-1', title: 'Every workload has an owner' }] });
  const control = await createCustomControl(admin, {
    key: 'owner-label', title: 'Deployments have an owner label', severity: 'medium', rationale: 'Someone answers for every workload.', remediation: 'Add an owner label.',
    rule: { match: { resources: [{ kinds: ['Deployment'] }] }, validations: [{ expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels" }] },
    requirementIds: ['acme-platform:AP-1'],
  });
  await setCustomControlEnabled(admin, { customControlId: control.id, enabled: true });
  const { token: agentToken } = await createClusterWithToken(org, 'prod');
  const pushed = await pushSnapshot(agentToken, snapshotOf([namespace('shop'), deployment({ namespace: 'shop', name: 'batch' })], { collectedAt: at(2).toISOString(), clusterUid: `uid-${org.slug}` }));
  await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => at(2));
}, 60_000);

describe('the organization framework through the v1 API', () => {
  it('POST /reports queues org:<key> as CSV, and the download lists its requirement with the control and its version', async () => {
    const response = await POST(call('POST', '/reports', { frameworkId: 'org:acme-platform', format: 'CSV', periodStart: at(5).toISOString().slice(0, 10), periodEnd: at(1).toISOString() }), params({}));
    expect(response.status).toBe(202);
    const { report } = await response.json() as { report: { id: string; frameworkId: string } };
    expect(report.frameworkId).toBe('org:acme-platform');
    await generateReport(systemContext(org.id, 'generate-report'), report.id);
    const file = await download(call('GET', `/reports/${report.id}/download`), params({ id: report.id }));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain(`bulwark-${org.slug}-org-acme-platform-`);
    const [header, ap1] = (await file.text()).split('\r\n');
    expect(header).toContain('organization_controls');
    expect(ap1).toMatch(/^AP-1,Every workload has an owner,Failed,failed,.*,custom\.owner-label,custom\.owner-label,1,0,,custom\.owner-label v2 \(Deployments have an owner label\): fail$/);
  });

  it('refuses OSCAL for it with the field named (400), and an unknown key (404)', async () => {
    const oscal = await POST(call('POST', '/reports', { frameworkId: 'org:acme-platform', format: 'OSCAL', periodStart: at(5).toISOString().slice(0, 10), periodEnd: at(1).toISOString() }), params({}));
    expect(oscal.status).toBe(400);
    expect(await oscal.json()).toMatchObject({ error: { issues: [{ path: 'format' }] } });
    const unknown = await POST(call('POST', '/reports', { frameworkId: 'org:other', format: 'PDF', periodStart: at(5).toISOString().slice(0, 10), periodEnd: at(1).toISOString() }), params({}));
    expect(unknown.status).toBe(404);
  });

  it('GET /scores?framework=org:<key> answers its recorded history', async () => {
    const response = await getScores(call('GET', '/scores?framework=org:acme-platform&granularity=evaluation'), params({}));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ framework: 'org:acme-platform', frameworkName: 'Acme platform policy', points: [{ score: 0, passed: 0, failed: 1 }] });
    expect((await getScores(call('GET', '/scores?framework=org:nope'), params({}))).status).toBe(404);
  });
});
