import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import { systemDb } from '../../platform/db/tenant';
import { resetEnvForTests } from '../../platform/env';
import { AppError } from '../../platform/errors';
import { createMember } from '../../testing/factories';
import { orgWithFindings, type Fixture } from '../../testing/findings-fixture';
import { startFakeJira, type FakeJira } from '../../testing/fake-jira';
import type { OrgContext } from '../../platform/auth/context';
import { createTicket } from '../tickets/create-ticket';
import { connectJira, getJiraConnection, jiraOptions, saveJiraSettings } from './connection';
import { bulkCreateJiraIssues, createJiraIssue, jiraLinksFor } from './issues';
import { pollJiraLinks, pollOrganizationJira, receiveJiraWebhook, refreshJiraLink } from './sync';

// The fake Jira listens on 127.0.0.1, which a connection may reach only when the operator allows it.
function allowJiraCidrs(value: string | undefined): void {
  if (value === undefined) delete process.env.JIRA_ALLOWED_CIDRS;
  else process.env.JIRA_ALLOWED_CIDRS = value;
  resetEnvForTests();
}
beforeAll(() => allowJiraCidrs('127.0.0.0/8'));
afterAll(async () => { allowJiraCidrs(undefined); await closeProducers(); await disconnectDb(); });

type Person = { user: { id: string }; ctx: OrgContext };
let fx: Fixture;
let admin: Person;
let engineer: Person;
let jira: FakeJira;

beforeEach(async () => {
  jira = await startFakeJira();
  fx = await orgWithFindings(['api', 'web']);
  admin = await createMember(fx.org, 'ADMIN');
  engineer = await createMember(fx.org, 'MEMBER');
});
afterEach(async () => { await jira.close(); });

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function connectCloud(ctx = admin.ctx) {
  const connected = await connectJira(ctx, { deployment: 'cloud', baseUrl: `${jira.url}/`, email: jira.credentials.email, token: jira.credentials.apiToken });
  await saveJiraSettings(ctx, { projectKey: 'SEC', issueTypeId: '10002', priorityMap: { CRITICAL: 'Highest', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' } });
  return connected;
}

describe('connecting Jira', () => {
  it('refuses bad credentials with an error naming the token, and saves nothing', async () => {
    const error = await refusal(connectJira(admin.ctx, { deployment: 'cloud', baseUrl: jira.url, email: jira.credentials.email, token: 'wrong' }));
    expect(error.status).toBe(400);
    expect(error.message).toContain('Jira refused the e-mail and API token');
    expect(error.issues).toEqual([{ path: 'token', message: 'Jira did not accept the e-mail and API token' }]);
    expect(await systemDb().jiraConnection.count({ where: { organizationId: fx.org.id } })).toBe(0);
  });

  it('refuses a loopback Jira unless the operator allows the range, and an engineer may not connect', async () => {
    allowJiraCidrs(undefined);
    try {
      const error = await refusal(connectJira(admin.ctx, { deployment: 'server', baseUrl: jira.url, token: jira.credentials.pat }));
      expect(error.issues[0]).toMatchObject({ path: 'baseUrl' });
      expect(error.issues[0]?.message).toContain('JIRA_ALLOWED_CIDRS');
    } finally { allowJiraCidrs('127.0.0.0/8'); }
    expect((await refusal(connectJira(engineer.ctx, { deployment: 'server', baseUrl: jira.url, token: jira.credentials.pat }))).status).toBe(403);
    expect(jira.requests).toHaveLength(0);
  });

  it('connects Cloud with Basic auth, seals the token, offers projects, issue types and priorities, and checks the project', async () => {
    const { connection, webhookSecret } = await connectJira(admin.ctx, { deployment: 'cloud', baseUrl: `${jira.url}/`, email: jira.credentials.email, token: jira.credentials.apiToken });
    expect(connection).toMatchObject({ baseUrl: jira.url, accountName: 'Bulwark Bot', projectKey: null });
    expect(webhookSecret.length).toBeGreaterThan(20);
    const row = await systemDb().jiraConnection.findFirstOrThrow({ where: { organizationId: fx.org.id } });
    expect(row.tokenCiphertext).not.toContain(jira.credentials.apiToken);
    expect(row.webhookSecretHash).not.toContain(webhookSecret);
    expect(jira.requests[0]?.authorization).toBe(`Basic ${Buffer.from(`${jira.credentials.email}:${jira.credentials.apiToken}`).toString('base64')}`);

    const options = await jiraOptions(admin.ctx, 'SEC');
    expect(options.projects).toEqual([{ key: 'SEC', name: 'Security' }, { key: 'OPS', name: 'Operations' }]);
    expect(options.issueTypes).toEqual([{ id: '10001', name: 'Task' }, { id: '10002', name: 'Bug' }]);
    expect(options.priorities).toContain('Highest');

    const unknown = await refusal(saveJiraSettings(admin.ctx, { projectKey: 'NOPE', issueTypeId: '10001' }));
    expect(unknown.status).toBe(400);
    expect(unknown.issues).toEqual([{ path: 'projectKey', message: 'No project NOPE in Jira' }]);
    const badPriority = await refusal(saveJiraSettings(admin.ctx, { projectKey: 'SEC', issueTypeId: '10001', priorityMap: { HIGH: 'Blocker' } }));
    expect(badPriority.issues).toEqual([{ path: 'priorityMap.HIGH', message: 'Jira has no priority "Blocker"' }]);
    const saved = await saveJiraSettings(admin.ctx, { projectKey: 'SEC', issueTypeId: '10001', priorityMap: { CRITICAL: 'Highest' } });
    expect(saved).toMatchObject({ projectKey: 'SEC', projectName: 'Security', issueTypeName: 'Task', priorityMap: { CRITICAL: 'Highest' } });
  });

  it('connects Server/Data Center with a Bearer personal access token and creates v2 issues with wiki text', async () => {
    await connectJira(admin.ctx, { deployment: 'server', baseUrl: jira.url, token: jira.credentials.pat });
    await saveJiraSettings(admin.ctx, { projectKey: 'OPS', issueTypeId: '10011' });
    const link = await createJiraIssue(engineer.ctx, { findingId: fx.byName('web').id });
    expect(link.issueKey).toBe('OPS-1');
    const issue = jira.issues.get('OPS-1');
    expect(typeof issue?.description).toBe('string');
    expect(issue?.description).toContain(`/o/${fx.org.slug}/findings/${fx.byName('web').id}`);
    expect(jira.requests.every((r) => r.authorization === `Bearer ${jira.credentials.pat}` && r.path.startsWith('/rest/api/2/'))).toBe(true);
  });
});

describe('creating Jira issues', () => {
  it('creates an issue from a finding with its summary, evidence, link back, labels and mapped priority, and saves the link', async () => {
    await connectCloud();
    const finding = fx.byName('web');
    const link = await createJiraIssue(engineer.ctx, { findingId: finding.id });
    expect(link).toMatchObject({ issueKey: 'SEC-1', url: `${jira.url}/browse/SEC-1`, status: 'To Do', statusCategory: 'new' });
    const issue = jira.issues.get('SEC-1');
    expect(issue?.summary).toBe(`[${finding.controlId}] ${finding.message}`);
    expect(issue?.labels).toEqual(['bulwark', finding.controlId]);
    expect(issue?.issueTypeId).toBe('10002');
    expect(issue?.priority).toBe({ CRITICAL: 'Highest', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' }[finding.severity]);
    // The description is an Atlassian Document: its paragraphs' text, and the link mark back to Bulwark.
    const text = JSON.stringify(issue?.description);
    const paragraphs = (issue?.description as { content: { content: { text: string }[] }[] }).content.map((p) => p.content.map((t) => t.text).join(''));
    expect(paragraphs).toContain(finding.message);
    expect(paragraphs).toContain(`Control: ${finding.controlId}`);
    expect(text).toContain('Evidence:');
    expect(text).toContain(`/o/${fx.org.slug}/findings/${finding.id}`);
    expect(await jiraLinksFor(engineer.ctx, { findingId: finding.id })).toEqual([expect.objectContaining({ issueKey: 'SEC-1' })]);
    // A second issue for the same finding is refused, naming the first.
    const again = await refusal(createJiraIssue(engineer.ctx, { findingId: finding.id }));
    expect(again.status).toBe(409);
    expect(again.message).toContain('SEC-1');
  });

  it('creates an issue from a ticket, and in bulk from a selection (skipping findings already linked)', async () => {
    await connectCloud();
    const ticket = await createTicket(engineer.ctx, { title: 'Privileged pods in shop', severity: 'SEV2', findingIds: [fx.byName('api').id] });
    const fromTicket = await createJiraIssue(engineer.ctx, { ticketId: ticket.id });
    expect(jira.issues.get(fromTicket.issueKey)?.summary).toBe(`[Bulwark #${ticket.number}] Privileged pods in shop`);
    expect(jira.issues.get(fromTicket.issueKey)?.priority).toBe('High');
    await createJiraIssue(engineer.ctx, { findingId: fx.byName('web').id });
    const bulk = await bulkCreateJiraIssues(engineer.ctx, { findingIds: [fx.byName('web').id, fx.byName('api').id] });
    expect(bulk.created).toEqual([{ findingId: fx.byName('api').id, issueKey: 'SEC-3' }]);
    expect(bulk.skipped).toEqual([{ findingId: fx.byName('web').id, reason: 'Already linked to Jira issue SEC-2' }]);
  });

  it('surfaces Jira\'s 400 field errors per field, and saves no link', async () => {
    await connectCloud();
    jira.failNext({ status: 400, pathPart: '/issue', body: { errorMessages: [], errors: { components: 'Component/s is required.', duedate: 'Due date is required.' } } });
    const error = await refusal(createJiraIssue(engineer.ctx, { findingId: fx.byName('web').id }));
    expect(error.status).toBe(400);
    expect(error.message).toBe('Jira refused the issue: components: Component/s is required.; duedate: Due date is required.');
    expect(error.issues).toEqual([{ path: 'components', message: 'Component/s is required.' }, { path: 'duedate', message: 'Due date is required.' }]);
    expect(await systemDb().jiraLink.count({ where: { organizationId: fx.org.id } })).toBe(0);
  });

  it('respects 429: the error carries Retry-After, a bulk run stops there, and a poll asks nothing more', async () => {
    await connectCloud();
    jira.rateLimitNext(17);
    const error = await refusal(createJiraIssue(engineer.ctx, { findingId: fx.byName('web').id }));
    expect(error.status).toBe(429);
    expect(error.message).toBe('Jira is limiting requests; retry in 17 s');
    expect(error.headers['Retry-After']).toBe('17');

    jira.rateLimitNext(5);
    const bulk = await bulkCreateJiraIssues(engineer.ctx, { findingIds: [fx.byName('web').id, fx.byName('api').id] });
    expect(bulk.created).toEqual([]);
    expect(bulk.skipped.map((s) => s.reason)).toEqual(['Jira is limiting requests; retry in 5 s', 'Jira is limiting requests; retry in 5 s']);
    expect(jira.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issue'))).toHaveLength(2); // one 429 each time, nothing after

    await createJiraIssue(engineer.ctx, { findingId: fx.byName('web').id });
    jira.rateLimitNext(30);
    const before = jira.requests.length;
    expect(await pollJiraLinks(admin.ctx)).toEqual({ checked: 0, updated: 0, retryAfterSeconds: 30 });
    expect(jira.requests.length).toBe(before + 1);
  });

  it('turns Jira\'s 404 and 5xx into "Jira refused" (502)', async () => {
    await connectCloud();
    jira.failNext({ status: 404, pathPart: '/issue', body: { errorMessages: ['Project SEC was archived.'], errors: {} } });
    const error = await refusal(createJiraIssue(engineer.ctx, { findingId: fx.byName('web').id }));
    expect(error.status).toBe(502);
    expect(error.message).toBe('Jira refused the issue: Project SEC was archived. (404)');
  });
});

describe('status coming back from Jira', () => {
  it('the webhook refuses a wrong secret (401) and an unknown connection (404); with the right secret it updates the link, never the finding', async () => {
    const { connection, webhookSecret } = await connectCloud();
    const finding = fx.byName('web');
    const link = await createJiraIssue(engineer.ctx, { findingId: finding.id });
    jira.transition(link.issueKey, { name: 'Done', category: 'done' });
    const payload = { webhookEvent: 'jira:issue_updated', issue: { id: '1', key: link.issueKey, fields: { status: { name: 'Done', statusCategory: { key: 'done', name: 'Done' } } } } };

    expect((await refusal(receiveJiraWebhook(connection.id, 'wrong-secret', payload))).status).toBe(401);
    expect((await refusal(receiveJiraWebhook(connection.id, null, payload))).status).toBe(401);
    expect((await refusal(receiveJiraWebhook('00000000-0000-4000-8000-000000000000', webhookSecret, payload))).status).toBe(404);
    expect((await jiraLinksFor(engineer.ctx, { findingId: finding.id }))[0]?.statusCategory).toBe('new');

    expect(await receiveJiraWebhook(connection.id, webhookSecret, payload)).toEqual({ updated: 1 });
    expect((await jiraLinksFor(engineer.ctx, { findingId: finding.id }))[0]).toMatchObject({ status: 'Done', statusCategory: 'done' });
    expect((await systemDb().finding.findUniqueOrThrow({ where: { id: finding.id } })).status).toBe('OPEN');
  });

  it('the poll (maintenance job) and "Refresh status" update links from Jira\'s search and issue answers', async () => {
    await connectCloud();
    const web = await createJiraIssue(engineer.ctx, { findingId: fx.byName('web').id });
    const api = await createJiraIssue(engineer.ctx, { findingId: fx.byName('api').id });
    jira.transition(web.issueKey, { name: 'In Progress', category: 'indeterminate' });
    jira.transition(api.issueKey, { name: 'Done', category: 'done' });
    const result = await pollOrganizationJira(fx.org.id);
    expect(result.updated).toBeGreaterThanOrEqual(2);
    expect(jira.requests.some((r) => r.path === '/rest/api/3/search/jql' && JSON.stringify(r.body).includes(web.issueKey))).toBe(true);
    expect((await jiraLinksFor(engineer.ctx, { findingId: fx.byName('web').id }))[0]).toMatchObject({ status: 'In Progress', statusCategory: 'indeterminate' });
    expect((await jiraLinksFor(engineer.ctx, { findingId: fx.byName('api').id }))[0]).toMatchObject({ status: 'Done', statusCategory: 'done' });

    jira.transition(web.issueKey, { name: 'Closed', category: 'done' });
    expect(await refreshJiraLink(engineer.ctx, { linkId: web.id })).toMatchObject({ status: 'Closed', statusCategory: 'done' });
    expect((await jiraLinksFor(engineer.ctx, { findingId: fx.byName('web').id }))[0]?.status).toBe('Closed');
  });
});

describe('another organization', () => {
  it('cannot see or use the connection or the links (404), and has no Jira of its own', async () => {
    await connectCloud();
    const link = await createJiraIssue(engineer.ctx, { findingId: fx.byName('web').id });
    const other = await orgWithFindings(['web']);
    const outsider = await createMember(other.org, 'ADMIN');
    expect(await getJiraConnection(outsider.ctx)).toBeNull();
    expect((await refusal(createJiraIssue(outsider.ctx, { findingId: fx.byName('web').id }))).status).toBe(404);
    await connectJira(outsider.ctx, { deployment: 'cloud', baseUrl: jira.url, email: jira.credentials.email, token: jira.credentials.apiToken });
    await saveJiraSettings(outsider.ctx, { projectKey: 'OPS', issueTypeId: '10011' });
    expect((await refusal(createJiraIssue(outsider.ctx, { findingId: fx.byName('web').id }))).status).toBe(404);
    expect((await refusal(refreshJiraLink(outsider.ctx, { linkId: link.id }))).status).toBe(404);
    expect(await jiraLinksFor(outsider.ctx, { findingId: fx.byName('web').id })).toEqual([]);
    // Its own poll sees none of the first organization's links.
    expect(await pollJiraLinks(outsider.ctx)).toEqual({ checked: 0, updated: 0 });
  });
});
