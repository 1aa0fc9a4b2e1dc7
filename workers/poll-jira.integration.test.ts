import type { Job } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { disconnectDb } from '@/lib/platform/db/client';
import { resetEnvForTests } from '@/lib/platform/env';
import { createRedis } from '@/lib/platform/queue/connection';
import { listPendingFairJobIds } from '@/lib/platform/queue/fair';
import { JOBS, QUEUES } from '@/lib/platform/queue/jobs';
import { closeProducers, dispatchFairQueue, queueFor } from '@/lib/platform/queue/producers';
import { connectJira, saveJiraSettings } from '@/lib/services/jira/connection';
import { createJiraIssue, jiraLinksFor } from '@/lib/services/jira/issues';
import { createMember } from '@/lib/testing/factories';
import { orgWithFindings } from '@/lib/testing/findings-fixture';
import { startFakeJira, type FakeJira } from '@/lib/testing/fake-jira';
import { waitFor } from '@/lib/testing/wait-for';
import { startWorkers } from './main';
import { processMaintenance } from './maintenance';
import { PROCESSORS } from './processors';

const jiras: FakeJira[] = [];
beforeAll(() => { process.env.JIRA_ALLOWED_CIDRS = '127.0.0.0/8'; resetEnvForTests(); });
afterAll(async () => { delete process.env.JIRA_ALLOWED_CIDRS; resetEnvForTests(); for (const jira of jiras) await jira.close(); await closeProducers(); await disconnectDb(); });

/** An organization with a finding, its own fake Jira, a connection and one linked issue. */
async function connectedOrg() {
  const jira = await startFakeJira();
  jiras.push(jira);
  const fx = await orgWithFindings(['web']);
  const admin = await createMember(fx.org, 'ADMIN');
  await connectJira(admin.ctx, { deployment: 'cloud', baseUrl: jira.url, email: jira.credentials.email, token: jira.credentials.apiToken });
  await saveJiraSettings(admin.ctx, { projectKey: 'SEC', issueTypeId: '10001' });
  const link = await createJiraIssue(admin.ctx, { findingId: fx.byName('web').id });
  const status = async () => (await jiraLinksFor(admin.ctx, { findingId: fx.byName('web').id }))[0]?.status;
  return { jira, fx, admin, link, status };
}

it('the poll-jira maintenance job offers one poll job per connected organization on the fair jira queue; each brings Jira\'s status and leaves the finding open', async () => {
  const a = await connectedOrg();
  a.jira.transition(a.link.issueKey, { name: 'Done', category: 'done' });

  expect(Object.values(PROCESSORS).some((jobs) => jobs[JOBS.pollJira] === processMaintenance)).toBe(true);
  expect(await processMaintenance({ name: JOBS.pollJira, data: {} } as Job)).toMatchObject({ organizations: expect.any(Number) });
  await dispatchFairQueue(QUEUES.jira);
  const redis = createRedis('worker');
  const pending = await listPendingFairJobIds(redis, QUEUES.jira, a.fx.org.id);
  const waiting = (await queueFor(QUEUES.jira).getJobs(['waiting', 'prioritized'])).filter((job) => job.data.organizationId === a.fx.org.id);
  redis.disconnect();
  expect(pending.length + waiting.length).toBe(1);

  // The organization's job, as the jira queue's worker runs it.
  const poll = PROCESSORS[QUEUES.jira][JOBS.pollJiraOrg]!;
  expect(await poll({ name: JOBS.pollJiraOrg, data: { organizationId: a.fx.org.id } } as Job)).toMatchObject({ checked: 1, updated: 1 });
  expect(await a.status()).toBe('Done');
  expect((await a.fx.db.finding.findUniqueOrThrow({ where: { id: a.fx.byName('web').id } })).status).toBe('OPEN');
  await queueFor(QUEUES.jira).obliterate({ force: true });
});

it('a Jira that hangs for organization A does not hold up organization B\'s status update', async () => {
  const a = await connectedOrg();
  const b = await connectedOrg();
  a.jira.transition(a.link.issueKey, { name: 'Done', category: 'done' });
  b.jira.transition(b.link.issueKey, { name: 'Done', category: 'done' });
  const hang = a.jira.hang();

  const workers = await startWorkers({ scheduled: false });
  try {
    // The maintenance job as the scheduler runs it; A's organization is offered first.
    await processMaintenance({ name: JOBS.pollJira, data: {} } as Job);
    // B's link is updated while A's Jira still holds A's request unanswered (the client has not even given up).
    await waitFor(async () => (await b.status()) === 'Done', 'organization B\'s Jira status', 60_000);
    expect(hang.held.length).toBeGreaterThan(0);
    expect(hang.held.every((request) => !request.abandoned)).toBe(true);
    expect(await a.status()).toBe('To Do');
    // A's Jira answers at last: A's poll finishes and brings its status too.
    hang.release();
    await waitFor(async () => (await a.status()) === 'Done', 'organization A\'s Jira status', 60_000);
  } finally {
    hang.release();
    await workers.close();
  }
});
