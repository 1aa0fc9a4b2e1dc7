import type { Job } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { createRedis } from '@/lib/platform/queue/connection';
import { listPendingFairJobIds } from '@/lib/platform/queue/fair';
import { QUEUES } from '@/lib/platform/queue/jobs';
import { closeProducers, dispatchFairQueue, queueFor } from '@/lib/platform/queue/producers';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { requestReport } from '@/lib/services/reports/request-report';
import { processGenerateReport } from '@/workers/generate-report';
import { POST as REQUEST } from './route';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

type Org = { id: string; slug: string };
type Answer = { status: number; headers: Headers; body: { report?: { id: string; status: string; duplicate: boolean }; error?: { code: string; message: string } } };

const PERIOD = { periodStart: '2026-04-01', periodEnd: '2026-04-30' };
const tokenFor = async (org: Org) => (await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'reports', role: 'AUDITOR' })).token;
async function post(org: Org, token: string, body: unknown): Promise<Answer> {
  const response = await REQUEST(
    new Request(`http://localhost/api/v1/orgs/${org.slug}/reports`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    { params: Promise.resolve({ org: org.slug }) },
  );
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}
const generate = (org: Org, reportId: string) =>
  processGenerateReport({ data: { organizationId: org.id, reportId }, attemptsMade: 0, opts: { attempts: 3 } } as unknown as Job);
/** The organization's report jobs: in BullMQ, or still in its pending list of the fair queue (lib/platform/queue/fair.ts). */
async function reportJobs(org: Org): Promise<string[]> {
  await dispatchFairQueue(QUEUES.reports); // the refills the requests started in the background are done
  const inBullmq = (await queueFor(QUEUES.reports).getJobs(['waiting', 'prioritized', 'active', 'completed'])).filter((job) => job.data.organizationId === org.id).map((job) => String(job.id));
  const redis = createRedis('worker');
  try {
    return [...inBullmq, ...(await listPendingFairJobIds(redis, QUEUES.reports, org.id))];
  } finally {
    redis.disconnect();
  }
}

describe('identical report requests', () => {
  it('answer the report already queued instead of queuing a second one, until that one is done', async () => {
    const org = await createOrg();
    const token = await tokenFor(org);
    const [first, second] = await Promise.all([org, org].map(async () => { const c = await createClusterWithToken(org); return c.cluster.id; }));
    const body = { frameworkId: 'cis-k8s-1.9', format: 'CSV', clusterIds: [first, second], ...PERIOD };

    const queued = await post(org, token, body);
    expect(queued.status).toBe(202);
    expect(queued.body.report).toMatchObject({ status: 'QUEUED', duplicate: false });
    const again = await post(org, token, { ...body, clusterIds: [second, first] }); // the same clusters, in another order
    expect(again.status).toBe(202);
    expect(again.body.report).toMatchObject({ id: queued.body.report?.id, duplicate: true });
    expect(again.headers.get('location')).toBe(`/api/v1/orgs/${org.slug}/reports/${queued.body.report?.id}`);
    // Another format, period or cluster set is another report.
    expect((await post(org, token, { ...body, format: 'PDF' })).body.report?.duplicate).toBe(false);
    expect((await post(org, token, { ...body, clusterIds: [first] })).body.report?.duplicate).toBe(false);
    expect((await post(org, token, { ...body, periodStart: '2026-04-02' })).body.report?.duplicate).toBe(false);

    const db = dbFor({ organizationId: org.id });
    expect(await db.report.count()).toBe(4);
    expect(await db.auditLog.count({ where: { action: 'report.requested' } })).toBe(4);
    expect(await reportJobs(org)).toHaveLength(4);

    await generate(org, queued.body.report?.id ?? '');
    const afterDone = await post(org, token, body);
    expect(afterDone.body.report).toMatchObject({ status: 'QUEUED', duplicate: false });
    expect(afterDone.body.report?.id).not.toBe(queued.body.report?.id);
  });

  it('are queued once when sent at the same moment, and "up to today" asked twice is one request', async () => {
    const org = await createOrg();
    const token = await tokenFor(org);
    const today = new Date().toISOString().slice(0, 10);
    const body = { frameworkId: 'iso27001-2022', format: 'JSON', periodStart: '2026-01-01', periodEnd: today };
    const answers = await Promise.all(Array.from({ length: 4 }, () => post(org, token, body)));
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202]);
    expect(new Set(answers.map((answer) => answer.body.report?.id)).size).toBe(1);
    expect(answers.filter((answer) => answer.body.report?.duplicate === false)).toHaveLength(1);
    expect(await dbFor({ organizationId: org.id }).report.count()).toBe(1);
    expect(await reportJobs(org)).toHaveLength(1);
  });
});

describe('"up to today" requests whose clocks were read out of order', () => {
  it('are one request: the one that reads the clock first but takes the lock second finds the other', async () => {
    // Sent at the same moment, request B can read the clock before request A and still reach the lock after A has
    // committed a period ending at A's later "now". (The route reads the clock itself; the service takes it here.)
    const org = await createOrg();
    const ctx = systemContext(org.id, 'test', org.slug);
    const today = new Date().toISOString().slice(0, 10);
    const input = { frameworkId: 'iso27001-2022' as const, format: 'JSON' as const, periodStart: '2026-01-01', periodEnd: today };
    const readSecond = new Date();
    const readFirst = new Date(readSecond.getTime() - 50);
    const a = await requestReport(ctx, input, readSecond);
    const b = await requestReport(ctx, input, readFirst);
    expect(b).toMatchObject({ id: a.id, duplicate: true });
    expect(await dbFor({ organizationId: org.id }).report.count()).toBe(1);
  });
});

describe('the cap on pending reports', () => {
  it('refuses a sixth queued report with 429 and Retry-After, leaves other organizations alone, and lets one through once a report is done', async () => {
    const acme = await createOrg();
    const globex = await createOrg();
    const token = await tokenFor(acme);
    const ids: string[] = [];
    for (let day = 1; day <= 5; day++) {
      const answer = await post(acme, token, { frameworkId: 'cis-k8s-1.9', format: 'CSV', periodStart: `2026-03-0${day}`, periodEnd: '2026-03-31' });
      expect(answer.status).toBe(202);
      ids.push(answer.body.report?.id ?? '');
    }
    const refused = await post(acme, token, { frameworkId: 'cis-k8s-1.9', format: 'CSV', periodStart: '2026-03-06', periodEnd: '2026-03-31' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('5 reports queued or running') });
    expect(await dbFor({ organizationId: acme.id }).report.count()).toBe(5); // the refusal wrote nothing
    expect(await reportJobs(acme)).toHaveLength(5);

    // An identical request is still answered with the report it repeats: it queues nothing.
    expect((await post(acme, token, { frameworkId: 'cis-k8s-1.9', format: 'CSV', periodStart: '2026-03-01', periodEnd: '2026-03-31' })).body.report).toMatchObject({ id: ids[0], duplicate: true });
    expect((await post(globex, await tokenFor(globex), { frameworkId: 'cis-k8s-1.9', format: 'CSV', ...PERIOD })).status).toBe(202);

    await generate(acme, ids[0] ?? '');
    expect((await post(acme, token, { frameworkId: 'cis-k8s-1.9', format: 'CSV', periodStart: '2026-03-06', periodEnd: '2026-03-31' })).status).toBe(202);
  });
});
