import { createHash } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { container, deployment, namespace, snapshotOf } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';
import { processGenerateReport } from '@/workers/generate-report';
import { GET as LIST, POST as REQUEST } from './route';
import { GET as STATUS } from './[id]/route';
import { GET as DOWNLOAD } from './[id]/download/route';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const PERIOD = { periodStart: '2026-04-01', periodEnd: '2026-04-30' };
const job = (organizationId: string, reportId: string) => ({ data: { organizationId, reportId }, attemptsMade: 0, opts: { attempts: 3 } }) as unknown as Job;
const url = (org: string, suffix = '') => `http://localhost/api/v1/orgs/${org}/reports${suffix}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const post = (org: string, token: string, body: unknown) =>
  REQUEST(new Request(url(org), { method: 'POST', headers: bearer(token), body: JSON.stringify(body) }), { params: Promise.resolve({ org }) });
const download = (org: string, token: string, id: string) =>
  DOWNLOAD(new Request(url(org, `/${id}/download`), { headers: bearer(token) }), { params: Promise.resolve({ org, id }) });

let acme: { id: string; slug: string };
let globex: { id: string; slug: string };
const tokenFor = async (org: { id: string; slug: string }, role: 'ADMIN' | 'MEMBER' | 'AUDITOR' | 'VIEWER') =>
  (await createApiToken(systemContext(org.id, 'test', org.slug), { name: `${role.toLowerCase()}-api`, role })).token;

beforeAll(async () => {
  acme = await createOrg();
  globex = await createOrg();
  const created = await createClusterWithToken(acme, 'prod-eu');
  const pushed = await pushSnapshot(created.token, snapshotOf([namespace('pay'), deployment({ namespace: 'pay', name: 'ledger' }, { hostPID: true, containers: [container({ name: 'ledger' })] })], { collectedAt: '2026-04-10T00:00:00Z', clusterUid: 'uid-reports-api' }));
  await evaluateStoredSnapshot(systemContext(acme.id, 'test'), pushed.snapshotId, () => new Date('2026-04-10T00:05:00Z'));
});

describe('the reports API', () => {
  it('queues a report for an auditor token (202), reports its status, and serves the file as an attachment with its SHA-256', async () => {
    const token = await tokenFor(acme, 'AUDITOR');
    const response = await post(acme.slug, token, { frameworkId: 'cis-k8s-1.9', format: 'CSV', ...PERIOD });
    expect(response.status).toBe(202);
    const { report } = (await response.json()) as { report: { id: string; status: string } };
    expect(report.status).toBe('QUEUED');
    expect(response.headers.get('location')).toBe(`/api/v1/orgs/${acme.slug}/reports/${report.id}`);
    await processGenerateReport(job(acme.id, report.id));

    const list = await LIST(new Request(url(acme.slug), { headers: bearer(token) }), { params: Promise.resolve({ org: acme.slug }) });
    expect(((await list.json()) as { items: { id: string; status: string }[] }).items.find((item) => item.id === report.id)?.status).toBe('DONE');
    const status = await STATUS(new Request(url(acme.slug, `/${report.id}`), { headers: bearer(token) }), { params: Promise.resolve({ org: acme.slug, id: report.id }) });
    const { report: done } = (await status.json()) as { report: { status: string; sha256: string; progress: number } };
    expect(done).toMatchObject({ status: 'DONE', progress: 100 });

    const file = await download(acme.slug, token, report.id);
    expect(file.status).toBe(200);
    const body = Buffer.from(await file.arrayBuffer());
    const name = `bulwark-${acme.slug}-cis-k8s-1.9-2026-04-30.csv`;
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
    expect(file.headers.get('x-content-sha256')).toBe(createHash('sha256').update(body).digest('hex'));
    expect(file.headers.get('x-content-sha256')).toBe(done.sha256);
    expect(body.toString('utf8')).toContain('prod-eu,pay,Deployment,ledger,workload.host-pid');
  });

  it('answers an invalid body with 400 and the field at fault', async () => {
    const response = await post(acme.slug, await tokenFor(acme, 'ADMIN'), { frameworkId: 'nsa-k8s-1.2', format: 'DOCX', ...PERIOD });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { issues: { path: string }[] } };
    expect(error.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['frameworkId', 'format']));
  });

  it('refuses MEMBER and VIEWER tokens (403)', async () => {
    const reportId = ((await (await post(acme.slug, await tokenFor(acme, 'AUDITOR'), { frameworkId: 'cis-k8s-1.9', format: 'JSON', ...PERIOD })).json()) as { report: { id: string } }).report.id;
    await processGenerateReport(job(acme.id, reportId));
    for (const role of ['MEMBER', 'VIEWER'] as const) {
      const token = await tokenFor(acme, role);
      expect((await post(acme.slug, token, { frameworkId: 'cis-k8s-1.9', format: 'CSV', ...PERIOD })).status).toBe(403);
      expect((await download(acme.slug, token, reportId)).status).toBe(403);
      expect((await LIST(new Request(url(acme.slug), { headers: bearer(token) }), { params: Promise.resolve({ org: acme.slug }) })).status).toBe(403);
    }
  });

  it('answers another organization\'s token 404 for the report, on its own URL and on the owner\'s', async () => {
    const reportId = ((await (await post(acme.slug, await tokenFor(acme, 'AUDITOR'), { frameworkId: 'cis-k8s-1.9', format: 'CSV', ...PERIOD })).json()) as { report: { id: string } }).report.id;
    await processGenerateReport(job(acme.id, reportId));
    const other = await tokenFor(globex, 'ADMIN');
    for (const org of [globex.slug, acme.slug]) {
      const response = await download(org, other, reportId);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('ledger');
      const status = await STATUS(new Request(url(org, `/${reportId}`), { headers: bearer(other) }), { params: Promise.resolve({ org, id: reportId }) });
      expect(status.status).toBe(404);
    }
  });
});
