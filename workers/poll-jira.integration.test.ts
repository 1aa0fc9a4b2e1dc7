import type { Job } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { disconnectDb } from '@/lib/platform/db/client';
import { resetEnvForTests } from '@/lib/platform/env';
import { JOBS } from '@/lib/platform/queue/jobs';
import { closeProducers } from '@/lib/platform/queue/producers';
import { connectJira, saveJiraSettings } from '@/lib/services/jira/connection';
import { createJiraIssue, jiraLinksFor } from '@/lib/services/jira/issues';
import { createMember } from '@/lib/testing/factories';
import { orgWithFindings } from '@/lib/testing/findings-fixture';
import { startFakeJira, type FakeJira } from '@/lib/testing/fake-jira';
import { processMaintenance } from './maintenance';
import { PROCESSORS } from './processors';

let jira: FakeJira;
beforeAll(async () => { process.env.JIRA_ALLOWED_CIDRS = '127.0.0.0/8'; resetEnvForTests(); jira = await startFakeJira(); });
afterAll(async () => { delete process.env.JIRA_ALLOWED_CIDRS; resetEnvForTests(); await jira.close(); await closeProducers(); await disconnectDb(); });

it('the poll-jira maintenance job, driven explicitly, brings Jira\'s status to the links and leaves the finding open', async () => {
  const fx = await orgWithFindings(['web']);
  const admin = await createMember(fx.org, 'ADMIN');
  await connectJira(admin.ctx, { deployment: 'cloud', baseUrl: jira.url, email: jira.credentials.email, token: jira.credentials.apiToken });
  await saveJiraSettings(admin.ctx, { projectKey: 'SEC', issueTypeId: '10001' });
  const link = await createJiraIssue(admin.ctx, { findingId: fx.byName('web').id });
  jira.transition(link.issueKey, { name: 'Done', category: 'done' });

  expect(Object.values(PROCESSORS).some((jobs) => jobs[JOBS.pollJira] === processMaintenance)).toBe(true);
  const result = await processMaintenance({ name: JOBS.pollJira, data: {} } as Job);
  expect(result).toMatchObject({ organizations: 1, updated: 1 });
  expect((await jiraLinksFor(admin.ctx, { findingId: fx.byName('web').id }))[0]).toMatchObject({ status: 'Done', statusCategory: 'done' });
  expect((await fx.db.finding.findUniqueOrThrow({ where: { id: fx.byName('web').id } })).status).toBe('OPEN');
});
