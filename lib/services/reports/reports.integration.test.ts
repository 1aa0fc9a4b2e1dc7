import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor } from '../../platform/db/tenant';
import { resetEnvForTests } from '../../platform/env';
import { AppError } from '../../platform/errors';
import { evaluateStoredSnapshot } from '../pipeline/evaluate-stored-snapshot';
import { closeProducers } from '../../platform/queue/producers';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { container, deployment, namespace, snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { generateReport } from './generate-report';
import { downloadReport, getReportStatus, listReports } from './read-reports';
import { requestReport } from './request-report';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const ROOT = path.resolve(import.meta.dirname, '../../..');
const PERIOD = { periodStart: '2026-04-01', periodEnd: '2026-04-30' };

let acme: { id: string; slug: string };
let acmeCluster: string;
let auditor: { user: { id: string }; ctx: OrgContext };
let globexAdmin: { ctx: OrgContext };

beforeAll(async () => {
  acme = await createOrg();
  const created = await createClusterWithToken(acme, 'prod-eu');
  acmeCluster = created.cluster.id;
  const pushed = await pushSnapshot(created.token, snapshotOf([namespace('pay'), deployment({ namespace: 'pay', name: 'ledger' }, { hostPID: true, containers: [container({ name: 'ledger' })] })], { collectedAt: '2026-04-10T00:00:00Z', clusterUid: 'uid-reports' }));
  await evaluateStoredSnapshot(systemContext(acme.id, 'test'), pushed.snapshotId, () => new Date('2026-04-10T00:05:00Z'));
  auditor = await createMember(acme, 'AUDITOR');
  globexAdmin = await createMember(await createOrg(), 'ADMIN');
});

async function generated(ctx: OrgContext, format: 'PDF' | 'CSV' | 'JSON' | 'OSCAL', clusterIds: string[] = []) {
  const report = await requestReport(ctx, { frameworkId: 'iso27001-2022', format, clusterIds, ...PERIOD });
  // What the worker's processor does with the job (workers/generate-report.integration.test.ts runs the real one).
  await generateReport(systemContext(ctx.organizationId, 'generate-report'), report.id);
  return report.id;
}

async function auditActions(organizationId: string, targetId: string) {
  return (await dbFor({ organizationId }).auditLog.findMany({ where: { targetId }, orderBy: { seq: 'asc' } })).map((entry) => ({ action: entry.action, actorId: entry.actorId }));
}

describe('requesting, generating and downloading a report', () => {
  it('lets an auditor request a PDF, which the worker renders and stores with the sha256 of exactly its bytes', async () => {
    const reportId = await generated(auditor.ctx, 'PDF');
    const status = await getReportStatus(auditor.ctx, reportId);
    expect(status).toMatchObject({ status: 'DONE', progress: 100, contentType: 'application/pdf', fileName: `bulwark-${acme.slug}-iso27001-2022-2026-04-30.pdf` });
    const file = await downloadReport(auditor.ctx, reportId);
    expect(Buffer.from(file.content).subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(file.content).digest('hex')).toBe(status.sha256);
    expect(file.content.byteLength).toBe(status.sizeBytes);
    expect(await auditActions(acme.id, reportId)).toEqual([
      { action: 'report.requested', actorId: auditor.user.id },
      { action: 'report.generated', actorId: null },
      { action: 'report.downloaded', actorId: auditor.user.id },
    ]);
    const archive = await listReports(auditor.ctx);
    expect(archive.find((row) => row.id === reportId)).toMatchObject({ scope: 'All clusters', requestedBy: auditor.ctx.actor.kind === 'user' ? auditor.ctx.actor.email : '' });
  });

  it('records a file that `npm run admin -- report:verify` recognises, and refuses a modified copy', async () => {
    const reportId = await generated(auditor.ctx, 'JSON', [acmeCluster]);
    const file = await downloadReport(auditor.ctx, reportId);
    expect(JSON.parse(Buffer.from(file.content).toString('utf8'))).toMatchObject({ header: { reportId, scope: { allClusters: false } } });
    const dir = await mkdtemp(path.join(tmpdir(), 'bulwark-report-'));
    const original = path.join(dir, file.fileName);
    const modified = path.join(dir, `modified-${file.fileName}`);
    await writeFile(original, file.content);
    await writeFile(modified, Buffer.concat([Buffer.from(file.content), Buffer.from(' ')]));
    const verify = (target: string) => promisify(execFile)(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/admin.ts', 'report:verify', target, '--json'], { cwd: ROOT, env: process.env })
      .then(({ stdout }) => JSON.parse(stdout) as { valid: boolean; reportId?: string }, (error: { stdout: string }) => JSON.parse(error.stdout) as { valid: boolean });
    expect(await verify(original)).toMatchObject({ valid: true, reportId });
    expect(await verify(modified)).toMatchObject({ valid: false });
  }, 90_000);

  it('answers 409 for a report that is not finished yet', async () => {
    const report = await requestReport(auditor.ctx, { frameworkId: 'cis-k8s-1.9', format: 'CSV', ...PERIOD });
    await expect(downloadReport(auditor.ctx, report.id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses a period that ends in the future or before it starts, and a cluster of another organization (404)', async () => {
    await expect(requestReport(auditor.ctx, { frameworkId: 'cis-k8s-1.9', format: 'CSV', periodStart: '2026-01-01', periodEnd: '2099-01-01T00:00:00Z' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(requestReport(auditor.ctx, { frameworkId: 'cis-k8s-1.9', format: 'CSV', periodStart: '2026-03-01', periodEnd: '2026-02-01' })).rejects.toMatchObject({ code: 'invalid' });
    const before = await dbFor(globexAdmin.ctx).report.count();
    await expect(requestReport(globexAdmin.ctx, { frameworkId: 'cis-k8s-1.9', format: 'CSV', clusterIds: [acmeCluster], ...PERIOD })).rejects.toMatchObject({ code: 'not_found' });
    expect(await dbFor(globexAdmin.ctx).report.count()).toBe(before);
  });

  it('keeps reports from MEMBER and VIEWER (403)', async () => {
    const reportId = await generated(auditor.ctx, 'CSV');
    for (const role of ['MEMBER', 'VIEWER'] as const) {
      const { ctx } = await createMember(acme, role);
      await expect(requestReport(ctx, { frameworkId: 'cis-k8s-1.9', format: 'CSV', ...PERIOD })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(listReports(ctx)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(downloadReport(ctx, reportId)).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  it('answers a member of another organization 404 for the report and its download, and audits nothing', async () => {
    const reportId = await generated(auditor.ctx, 'OSCAL');
    const before = await auditActions(acme.id, reportId);
    await expect(getReportStatus(globexAdmin.ctx, reportId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(downloadReport(globexAdmin.ctx, reportId)).rejects.toMatchObject({ code: 'not_found' });
    expect(await auditActions(acme.id, reportId)).toEqual(before);
    expect(await dbFor(globexAdmin.ctx).auditLog.count({ where: { targetId: reportId } })).toBe(0);
  });

  it('marks the report FAILED and answers 503 when the queue is down', async () => {
    const live = process.env.REDIS_URL;
    process.env.REDIS_URL = 'redis://127.0.0.1:1';
    resetEnvForTests();
    await closeProducers();
    try {
      const error = await requestReport(auditor.ctx, { frameworkId: 'cis-k8s-1.9', format: 'PDF', ...PERIOD }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(503);
    } finally {
      if (live === undefined) delete process.env.REDIS_URL; else process.env.REDIS_URL = live;
      resetEnvForTests();
      await closeProducers();
    }
    const latest = await dbFor(auditor.ctx).report.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(latest).toMatchObject({ status: 'FAILED', error: expect.stringContaining('queue') });
    expect((await auditActions(acme.id, latest.id)).map((a) => a.action)).toEqual(['report.requested', 'report.failed']);
  }, 30_000);
});
