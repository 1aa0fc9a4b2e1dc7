import type { Job } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { requestReport } from '@/lib/services/reports/request-report';
import { createMember, createOrg } from '@/lib/testing/factories';
import { processGenerateReport } from './generate-report';
import { startWorkers } from './main';
import { waitFor } from '@/lib/testing/wait-for';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const fakeJob = (data: unknown, attemptsMade: number) => ({ data, attemptsMade, opts: { attempts: 3 } }) as unknown as Job;


describe('the report worker', () => {
  it('generates a queued report from the reports queue', async () => {
    const org = await createOrg();
    const { ctx } = await createMember(org, 'OWNER');
    const workers = await startWorkers({ scheduled: false }); // maintenance is not this test's business
    try {
      const report = await requestReport(ctx, { frameworkId: 'iso27001-2022', format: 'OSCAL', periodStart: '2026-01-01', periodEnd: '2026-01-31' });
      const done = await waitFor(async () => {
        const row = await dbFor(ctx).report.findUnique({ where: { id: report.id } });
        return row?.status === 'DONE' ? row : null;
      }, 'the report to be generated');
      expect(done).toMatchObject({ progress: 100, contentType: 'application/json', fileName: `bulwark-${org.slug}-iso27001-2022-2026-01-31.oscal-ar.json` });
      expect(done.sha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await workers.close();
    }
  });

  it('keeps a failing report RUNNING while retries remain, and marks it FAILED (audited) on the last attempt', async () => {
    const org = await createOrg();
    const db = dbFor({ organizationId: org.id });
    // A framework no request can name: the data step throws.
    const report = await db.report.create({ data: { organizationId: org.id, frameworkId: 'no-such-framework', format: 'PDF', periodStart: new Date('2026-01-01'), periodEnd: new Date('2026-01-02') } });
    const payload = { organizationId: org.id, reportId: report.id };
    await expect(processGenerateReport(fakeJob(payload, 0))).rejects.toThrow(/no-such-framework/);
    expect(await db.report.findUniqueOrThrow({ where: { id: report.id } })).toMatchObject({ status: 'RUNNING' });
    await expect(processGenerateReport(fakeJob(payload, 2))).rejects.toThrow(/no-such-framework/);
    expect(await db.report.findUniqueOrThrow({ where: { id: report.id } })).toMatchObject({ status: 'FAILED', error: expect.stringContaining('no-such-framework') });
    expect((await db.auditLog.findMany({ where: { targetId: report.id } })).map((entry) => entry.action)).toEqual(['report.failed']);
  });

  it('throws on a payload that is not a report job (a bug, not a retry)', async () => {
    await expect(processGenerateReport(fakeJob({ reportId: 'x' }, 0))).rejects.toThrow();
  });

  it('skips a report that no longer exists', async () => {
    const org = await createOrg();
    expect(await processGenerateReport(fakeJob({ organizationId: org.id, reportId: '00000000-0000-4000-8000-000000000000' }, 0))).toEqual({ outcome: 'skipped', reason: 'not-found' });
  });
});
