import { randomUUID } from 'node:crypto';
import { Worker, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { resetEnvForTests } from '@/lib/platform/env';
import { createRedis, queuePrefix } from '@/lib/platform/queue/connection';
import { countPendingFairJobs } from '@/lib/platform/queue/fair';
import { QUEUES } from '@/lib/platform/queue/jobs';
import { closeProducers, dispatchFairQueue, enqueueEvaluation, queueFor } from '@/lib/platform/queue/producers';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { createOrg } from '@/lib/testing/factories';
import { waitFor } from '@/lib/testing/wait-for';
import { POST as REQUEST_REPORT } from '@/app/api/v1/orgs/[org]/reports/route';
import { jobHandler } from './job-handler';
import { startWorkers } from './main';

type Org = { id: string; slug: string };

beforeAll(() => {
  // Room for a backlog of reports in one organization (the cap on pending reports is tested elsewhere).
  process.env.REPORTS_MAX_PENDING_PER_ORG = '100';
  resetEnvForTests();
});
afterAll(async () => {
  delete process.env.REPORTS_MAX_PENDING_PER_ORG;
  resetEnvForTests();
  await closeProducers();
  await disconnectDb();
});

describe('organizations take turns in the evaluation queue', () => {
  it('runs the one evaluation org B queued behind org A\'s backlog of 50 within the first few, and A\'s in the order queued', async () => {
    const [a, b] = [await createOrg(), await createOrg()];
    const aJobs = Array.from({ length: 50 }, () => randomUUID());
    const bJob = randomUUID();
    for (const snapshotId of aJobs) await enqueueEvaluation({ organizationId: a.id, snapshotId });
    await enqueueEvaluation({ organizationId: b.id, snapshotId: bJob });
    // BullMQ holds only a couple of them; the rest wait in their organization's list.
    await dispatchFairQueue(QUEUES.evaluation); // the refills the offers started in the background are done
    const redis = createRedis('worker');
    expect(await countPendingFairJobs(redis, QUEUES.evaluation)).toBe(49);
    redis.disconnect();

    // One worker, one job at a time, running the worker's own handler (these snapshot ids do not exist, so the
    // processor skips each: what counts here is the order the queue hands them out).
    const order: string[] = [];
    const handle = jobHandler(QUEUES.evaluation);
    const worker = new Worker(QUEUES.evaluation, async (job: Job) => { order.push(String(job.id)); await handle(job); }, { connection: createRedis('worker'), prefix: queuePrefix(), concurrency: 1 });
    try {
      await waitFor(async () => order.length === 51, 'all 51 evaluations to be handed out');
    } finally {
      await worker.close();
    }
    expect(order.indexOf(bJob)).toBeLessThanOrEqual(4); // first come first served would make it 51st
    expect(order.filter((id) => id !== bJob)).toEqual(aJobs);
  });
});

describe('organizations take turns in the report queue', () => {
  it('generates the report org B requested behind org A\'s 20 before most of A\'s, through the real worker', async () => {
    const [a, b] = [await createOrg(), await createOrg()];
    const tokenFor = async (org: Org) => (await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'reports', role: 'AUDITOR' })).token;
    const request = async (org: Org, token: string, day: number) => {
      const body = { frameworkId: 'cis-k8s-1.9', format: 'CSV', periodStart: `2026-03-${String(day).padStart(2, '0')}`, periodEnd: '2026-03-31' };
      const response = await REQUEST_REPORT(
        new Request(`http://localhost/api/v1/orgs/${org.slug}/reports`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        { params: Promise.resolve({ org: org.slug }) },
      );
      expect(response.status).toBe(202);
      return ((await response.json()) as { report: { id: string } }).report.id;
    };
    const aToken = await tokenFor(a);
    const aReports: string[] = [];
    for (let day = 1; day <= 20; day++) aReports.push(await request(a, aToken, day));
    const bReport = await request(b, await tokenFor(b), 1);

    const workers = await startWorkers({ scheduled: false });
    try {
      await waitFor(async () => (await queueFor(QUEUES.reports).getJobCounts('completed')).completed === 21, 'all 21 reports to be generated', 120_000);
    } finally {
      await workers.close();
    }
    // Order of starting, from BullMQ's own record of each job; ties count against B.
    const started = new Map((await queueFor(QUEUES.reports).getJobs(['completed'])).map((job) => [String(job.id), job.processedOn ?? 0]));
    const bStarted = started.get(bReport) ?? Infinity;
    const aBeforeB = aReports.filter((id) => (started.get(id) ?? Infinity) <= bStarted);
    expect(aBeforeB.length).toBeLessThanOrEqual(5); // first come first served: all 20
  }, 180_000);
});
