import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '@/lib/platform/db/client';
import { systemDb } from '@/lib/platform/db/tenant';
import { resetEnvForTests } from '@/lib/platform/env';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createMember } from '@/lib/testing/factories';
import { orgWithFindings } from '@/lib/testing/findings-fixture';
import { startFakeJira, type FakeJira } from '@/lib/testing/fake-jira';
import { connectJira, jiraWebhookPath, saveJiraSettings } from '@/lib/services/jira/connection';
import { createJiraIssue } from '@/lib/services/jira/issues';
import { POST } from './route';

let jira: FakeJira;
beforeAll(async () => { process.env.JIRA_ALLOWED_CIDRS = '127.0.0.0/8'; resetEnvForTests(); jira = await startFakeJira(); });
afterAll(async () => { delete process.env.JIRA_ALLOWED_CIDRS; resetEnvForTests(); await jira.close(); await closeProducers(); await disconnectDb(); });

async function setUp() {
  const fx = await orgWithFindings(['web']);
  const admin = await createMember(fx.org, 'ADMIN');
  const { connection, webhookSecret } = await connectJira(admin.ctx, { deployment: 'cloud', baseUrl: jira.url, email: jira.credentials.email, token: jira.credentials.apiToken });
  await saveJiraSettings(admin.ctx, { projectKey: 'SEC', issueTypeId: '10001' });
  const link = await createJiraIssue(admin.ctx, { findingId: fx.byName('web').id });
  return { fx, connection, webhookSecret, link };
}

/** Calls the route handler the way Jira's webhook (here: the fake's sendWebhook payload) calls it. */
async function deliver(connectionId: string, query: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await POST(new Request(`http://localhost${jiraWebhookPath(connectionId)}${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }), { params: Promise.resolve({ connectionId }) });
  return { status: response.status, body: await response.json() as unknown };
}

const donePayload = (key: string) => ({ webhookEvent: 'jira:issue_updated', issue: { id: '1', key, fields: { status: { name: 'Done', statusCategory: { key: 'done', name: 'Done' } } } } });

describe('POST /api/jira/webhook/{connectionId}', () => {
  it('refuses a wrong or missing secret (401), and another organization\'s secret; takes the right one in ?secret= or the header', async () => {
    const a = await setUp();
    const b = await setUp();
    jira.transition(a.link.issueKey, { name: 'Done', category: 'done' });
    expect((await deliver(a.connection.id, '?secret=nope', donePayload(a.link.issueKey))).status).toBe(401);
    expect((await deliver(a.connection.id, '', donePayload(a.link.issueKey))).status).toBe(401);
    expect((await deliver(a.connection.id, `?secret=${b.webhookSecret}`, donePayload(a.link.issueKey))).status).toBe(401);
    expect((await deliver('not-a-uuid', `?secret=${a.webhookSecret}`, donePayload(a.link.issueKey))).status).toBe(404);
    // B's connection with B's secret cannot reach A's link, even naming A's issue key.
    expect(await deliver(b.connection.id, `?secret=${b.webhookSecret}`, donePayload(a.link.issueKey))).toEqual({ status: 200, body: { updated: a.link.issueKey === b.link.issueKey ? 1 : 0 } });
    expect((await systemDb().jiraLink.findUniqueOrThrow({ where: { id: a.link.id } })).statusCategory).toBe('new');

    expect(await deliver(a.connection.id, '', donePayload(a.link.issueKey), { 'x-bulwark-jira-secret': a.webhookSecret })).toEqual({ status: 200, body: { updated: 1 } });
    expect(await systemDb().jiraLink.findUniqueOrThrow({ where: { id: a.link.id } })).toMatchObject({ status: 'Done', statusCategory: 'done' });
    expect((await systemDb().finding.findUniqueOrThrow({ where: { id: a.fx.byName('web').id } })).status).toBe('OPEN');
  });

  it('takes any status change in Jira\'s payload shape, and refuses a body that is not a Jira event (400)', async () => {
    const a = await setUp();
    jira.transition(a.link.issueKey, { name: 'In Progress', category: 'indeterminate' });
    const payload = ({ webhookEvent: 'jira:issue_updated', issue: { ...donePayload(a.link.issueKey).issue, fields: { status: { name: 'In Progress', statusCategory: { key: 'indeterminate' } } } } });
    expect((await deliver(a.connection.id, `?secret=${encodeURIComponent(a.webhookSecret)}`, payload)).status).toBe(200);
    expect((await systemDb().jiraLink.findUniqueOrThrow({ where: { id: a.link.id } })).status).toBe('In Progress');
    expect((await deliver(a.connection.id, `?secret=${a.webhookSecret}`, { hello: 'world' })).status).toBe(400);
  });
});
