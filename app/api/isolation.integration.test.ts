import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { createWebhook } from '@/lib/services/webhooks/create-webhook';
import { hashWebhookSecret } from '@/lib/services/jira/connection';
import { signDownloadLink } from '@/lib/services/reports/download-link';
import { approveExternalRecipient } from '@/lib/services/reports/schedules';
import { createCustomControl } from '@/lib/services/policies/custom-controls';
import { createOrgFramework } from '@/lib/services/policies/org-frameworks';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor, systemDb } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { seedCatalog } from '@/lib/services/catalog/seed-catalog';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { container, deployment, namespace, snapshotOf } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';

/**
 * The isolation matrix, generated from the code: every route handler under app/api is found on disk and
 * called as organization B with organization A's slug and ids. A new route is covered without anyone
 * remembering to add it here.
 */
const API_DIR = path.resolve(import.meta.dirname);
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === 'route.ts' ? [full] : [];
  });
}

const ROUTES = routeFiles(API_DIR).map((file) => ({ file, url: `/api/${path.relative(API_DIR, path.dirname(file)).split(path.sep).join('/')}` }));

afterAll(async () => { await closeProducers(); await disconnectDb(); });

let a: { slug: string; id: string; clusterId: string; findingId: string; snapshotId: string; ticketNumber: string; webhookId: string; deliveryId: string; jiraConnectionId: string; scheduleId: string; campaignId: string; reviewItemId: string; customControlId: string; orgFrameworkId: string; agentToken: string; names: string[] };
let b: { slug: string; id: string; apiToken: string; agentToken: string };

async function digestOf(organizationId: string) {
  const db = dbFor({ organizationId });
  const [clusters, findings, tickets, tokens, members, webhooks, deliveries, jiraConnections, jiraLinks, reportSchedules, campaigns, reviewItems, customControls, customControlVersions, orgFrameworks] = await Promise.all([
    db.cluster.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true } }),
    db.finding.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, assigneeUserId: true, assigneeTeamId: true, dueAt: true } }),
    db.ticket.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, title: true } }),
    db.agentToken.findMany({ orderBy: { id: 'asc' }, select: { id: true, revokedAt: true } }),
    db.membership.findMany({ orderBy: { id: 'asc' }, select: { id: true, role: true } }),
    db.webhook.findMany({ orderBy: { id: 'asc' }, select: { id: true, url: true, events: true, format: true, enabled: true, secret: true } }),
    db.webhookDelivery.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, attempts: true } }),
    db.jiraConnection.findMany({ orderBy: { id: 'asc' } }),
    db.jiraLink.findMany({ orderBy: { id: 'asc' } }),
    db.reportSchedule.findMany({ orderBy: { id: 'asc' } }),
    db.accessReviewCampaign.findMany({ orderBy: { id: 'asc' } }),
    db.accessReviewItem.findMany({ orderBy: { id: 'asc' } }),
    db.customControl.findMany({ orderBy: { id: 'asc' } }),
    db.customControlVersion.findMany({ orderBy: { id: 'asc' } }),
    db.orgFramework.findMany({ orderBy: { id: 'asc' } }),
  ]);
  return JSON.stringify({ clusters, findings, tickets, tokens, members, webhooks, deliveries, jiraConnections, jiraLinks, reportSchedules, campaigns, reviewItems, customControls, customControlVersions, orgFrameworks });
}

beforeAll(async () => {
  await seedCatalog();
  const orgA = await createOrg('Isolation Acme');
  const orgB = await createOrg('Isolation Globex');
  const clusterA = await createClusterWithToken(orgA, 'acme-secret-cluster');
  const snapshot = snapshotOf([namespace('payments'), deployment({ namespace: 'payments', name: 'acme-ledger' }, { hostPID: true, containers: [container({ name: 'ledger' })] })], { clusterUid: 'uid-iso-a' });
  const pushed = await pushSnapshot(clusterA.token, snapshot);
  await evaluateStoredSnapshot(systemContext(orgA.id, 'test'), pushed.snapshotId);
  const finding = await dbFor({ organizationId: orgA.id }).finding.findFirstOrThrow({ where: { resourceName: 'acme-ledger' } });
  const ticket = await dbFor({ organizationId: orgA.id }).ticket.create({ data: { organizationId: orgA.id, number: 1, title: 'acme-incident-title', severity: 'SEV2' } });
  // A webhook with a failed delivery: B must not read, edit, rotate, test, retry or delete it.
  const { webhook } = await createWebhook(systemContext(orgA.id, 'test', orgA.slug), { url: 'https://hooks.example.com/acme-webhook-path', events: ['finding.opened'] });
  const delivery = await dbFor({ organizationId: orgA.id }).webhookDelivery.create({ data: { organizationId: orgA.id, webhookId: webhook.id, eventType: 'webhook.test', payload: {}, status: 'FAILED', attempts: 6, error: 'HTTP 500' } });
  // A Jira connection with a linked issue (issue 20): no route of B's may read or change them, and the public Jira
  // webhook refuses any secret but A's.
  const jiraConnection = await dbFor({ organizationId: orgA.id }).jiraConnection.create({ data: {
    organizationId: orgA.id, deployment: 'server', baseUrl: 'https://jira.acme.example', tokenCiphertext: 'sealed', tokenKeyId: 'k0', accountName: 'acme-jira-account',
    webhookSecretHash: hashWebhookSecret('acme-jira-secret'), projectKey: 'ACME', issueTypeId: '1',
  } });
  await dbFor({ organizationId: orgA.id }).jiraLink.create({ data: { organizationId: orgA.id, findingId: finding.id, issueKey: 'ACME-1', url: 'https://jira.acme.example/browse/ACME-1', status: 'To Do', statusCategory: 'new' } });
  // A report schedule (issue 20, v1 API): B must not read, change, pause or delete it.
  const schedule = await dbFor({ organizationId: orgA.id }).reportSchedule.create({ data: {
    organizationId: orgA.id, frameworkId: 'iso27001-2022', format: 'CSV', period: 'previous_month', cron: '0 6 1 * *', timeZone: 'UTC',
    recipientEmails: ['acme-schedule-auditor@acme.example'], nextRunAt: new Date('2030-01-01T06:00:00Z'),
  } });
  // An access review with one item (issue 22): B must not read its items or decide them.
  const campaign = await dbFor({ organizationId: orgA.id }).accessReviewCampaign.create({ data: {
    organizationId: orgA.id, name: 'acme-review-campaign', clusterIds: [clusterA.cluster.id], scope: 'privileged', reviewerMode: 'person', dueAt: new Date(Date.now() + 86_400_000), createdByLabel: 'test',
  } });
  const reviewItem = await dbFor({ organizationId: orgA.id }).accessReviewItem.create({ data: {
    organizationId: orgA.id, campaignId: campaign.id, clusterId: clusterA.cluster.id, clusterName: 'acme-secret-cluster', snapshotId: pushed.snapshotId, subjectKind: 'User',
    subjectName: 'acme-review-subject', rightKey: 'k', verbs: ['get'], resources: ['secrets'], risks: ['secrets-read'], privileged: true, chain: [],
  } });
  // A custom control and an organization framework (issue 23): B must not read, change, enable or preview with them.
  const customControl = await createCustomControl(systemContext(orgA.id, 'test', orgA.slug), {
    key: 'acme-custom-control', title: 'acme-custom-control-title', severity: 'high', rationale: 'r', remediation: 'r',
    rule: { match: { resources: [{ kinds: ['Ingress'] }] }, validations: [{ expression: 'true' }] },
  });
  const orgFramework = await createOrgFramework(systemContext(orgA.id, 'test', orgA.slug), { key: 'acme-framework', name: 'acme-framework-name', requirements: [{ code: 'AP-1', title: 't' }] });
  const clusterB = await createClusterWithToken(orgB, 'globex-cluster');
  const apiToken = await createApiToken(systemContext(orgB.id, 'test', orgB.slug), { name: 'matrix', role: 'ADMIN' });
  a = { slug: orgA.slug, id: orgA.id, clusterId: clusterA.cluster.id, findingId: finding.id, snapshotId: pushed.snapshotId, ticketNumber: String(ticket.number), webhookId: webhook.id, deliveryId: delivery.id, jiraConnectionId: jiraConnection.id, scheduleId: schedule.id, campaignId: campaign.id, reviewItemId: reviewItem.id, customControlId: customControl.id, orgFrameworkId: orgFramework.id, agentToken: clusterA.token, names: ['acme-custom-control', 'acme-framework-name', 'acme-review-campaign', 'acme-review-subject', 'acme-schedule-auditor', 'acme-secret-cluster', 'acme-ledger', 'acme-incident-title', 'acme-webhook-path', 'acme-jira-account', 'jira.acme.example', orgA.name] };
  b = { slug: orgB.slug, id: orgB.id, apiToken: apiToken.token, agentToken: clusterB.token };
});

/** A's id for a dynamic segment, chosen by the collection the segment sits in. */
function idFor(segments: string[], index: number): string {
  const collection = segments[index - 1];
  if (collection === 'clusters') return a.clusterId;
  if (collection === 'snapshots') return a.snapshotId;
  if (collection === 'tickets') return a.ticketNumber;
  if (collection === 'webhooks') return a.webhookId;
  if (collection === 'deliveries') return a.deliveryId;
  if (collection === 'report-schedules') return a.scheduleId;
  if (collection === 'reviews') return a.campaignId;
  if (collection === 'custom-controls') return a.customControlId;
  if (collection === 'org-frameworks') return a.orgFrameworkId;
  return a.findingId;
}

function paramsFor(url: string, orgSlug: string): Record<string, string> {
  const segments = url.split('/');
  const params: Record<string, string> = {};
  segments.forEach((segment, index) => {
    const match = /^\[(?:\.\.\.)?(\w+)\]$/.exec(segment);
    if (!match?.[1]) return;
    params[match[1]] = match[1] === 'org' ? orgSlug : match[1] === 'nextauth' ? 'session' : idFor(segments, index);
  });
  return params;
}

const BODY = {
  name: 'matrix-probe', findingIds: [] as string[], findingId: '', clusterId: '', clusterIds: [] as string[], ticketId: '',
  frameworkId: 'iso27001-2022', format: 'CSV', periodStart: '2026-01-01T00:00:00Z', periodEnd: '2026-02-01T00:00:00Z',
  title: 'matrix-probe', severity: 'SEV3', body: 'probe', justification: 'probe justification long enough', role: 'VIEWER',
  url: 'https://hooks.example.com/matrix-probe', events: ['finding.opened'], enabled: false, decision: 'revoke', reason: 'probe',
};

async function call(route: { file: string; url: string }, method: string, token: string, orgSlug: string) {
  const module = (await import(route.file)) as Partial<Record<string, Handler>>;
  const handler = module[method];
  if (!handler) return null;
  const params = paramsFor(route.url, orgSlug);
  const url = `http://localhost${route.url.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_m, name: string) => params[name] ?? '')}?clusterId=${a.clusterId}&cluster=${a.clusterId}`;
  const body = { ...BODY, findingIds: [a.findingId], findingId: a.findingId, clusterId: a.clusterId, clusterIds: [a.clusterId], itemIds: [a.reviewItemId], campaignId: a.campaignId };
  const request = new Request(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(method === 'GET' || method === 'DELETE' ? {} : { body: JSON.stringify(body) }),
  });
  const response = await handler(request, { params: Promise.resolve(params) });
  return { status: response.status, text: await response.text() };
}

const ORG_ROUTES = ROUTES.filter((route) => route.url.includes('[org]'));

describe('tenant isolation of every route handler', () => {
  it('finds the routes it must cover', () => {
    expect(ORG_ROUTES.length).toBeGreaterThanOrEqual(5);
  });

  it.each(ORG_ROUTES.map((route) => [route.url, route] as const))('%s: organization B\'s token on organization A\'s URL gets 404 and sees nothing of A', async (_url, route) => {
    const before = await digestOf(a.id);
    for (const method of METHODS) {
      const result = await call(route, method, b.apiToken, a.slug);
      if (!result) continue;
      expect(result.status, `${method} ${route.url}`).toBe(404);
      for (const name of [...a.names, a.findingId, a.clusterId, a.webhookId]) expect(result.text, `${method} ${route.url} leaks ${name}`).not.toContain(name);
    }
    expect(await digestOf(a.id)).toBe(before);
  });

  it.each(ORG_ROUTES.map((route) => [route.url, route] as const))('%s: organization B\'s own URL with organization A\'s ids changes and shows nothing of A', async (_url, route) => {
    const before = await digestOf(a.id);
    for (const method of METHODS) {
      const result = await call(route, method, b.apiToken, b.slug);
      if (!result) continue;
      if (route.url.includes('[id]') || route.url.includes('[number]')) expect([403, 404], `${method} ${route.url}`).toContain(result.status);
      for (const name of [...a.names, a.findingId]) expect(result.text, `${method} ${route.url} leaks ${name}`).not.toContain(name);
    }
    expect(await digestOf(a.id)).toBe(before);
  });

  it('the public Jira webhook refuses anything but A\'s own secret on A\'s connection, and changes nothing of A', async () => {
    const jiraWebhook = ROUTES.find((route) => route.url === '/api/jira/webhook/[connectionId]');
    expect(jiraWebhook).toBeDefined();
    const { POST } = (await import(jiraWebhook!.file)) as { POST: Handler };
    const before = await digestOf(a.id);
    const payload = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { id: '1', key: 'ACME-1', fields: { status: { name: 'Done', statusCategory: { key: 'done' } } } } });
    for (const [connectionId, secret, status] of [[a.jiraConnectionId, 'globex-guess', 401], [a.jiraConnectionId, '', 401], [b.id, 'acme-jira-secret', 404]] as const) {
      const response = await POST(new Request(`http://localhost/api/jira/webhook/${connectionId}?secret=${secret}`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json' } }), { params: Promise.resolve({ connectionId }) });
      expect(response.status).toBe(status);
      expect(await response.text()).not.toContain('acme-jira-account');
    }
    expect(await digestOf(a.id)).toBe(before);
  });

  it('answers another cluster\'s agent token with 404 for a snapshot of A', async () => {
    const { GET } = await import('./v1/snapshots/[id]/route');
    const response = await GET(new Request(`http://localhost/api/v1/snapshots/${a.snapshotId}`, { headers: { authorization: `Bearer ${b.agentToken}` } }), { params: Promise.resolve({ id: a.snapshotId }) });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(a.clusterId);
  });

  it('a mailed report link (validly signed) for organization B naming organization A\'s report finds nothing', async () => {
    // The link route has no organization in its URL, so the matrix above does not reach it: the organization comes
    // from the signed link, and the report is read through that organization's tenant client.
    const report = await dbFor({ organizationId: a.id }).report.create({
      data: { organizationId: a.id, frameworkId: 'iso27001-2022', format: 'CSV', periodStart: new Date('2026-01-01T00:00:00Z'), periodEnd: new Date('2026-02-01T00:00:00Z'), status: 'DONE', content: Buffer.from('acme-secret-cluster,report'), sha256: 'a'.repeat(64), fileName: 'acme.csv', contentType: 'text/csv', sizeBytes: 26 },
    });
    await approveExternalRecipient(systemContext(b.id, 'test', b.slug), { email: 'matrix-auditor@example.test' });
    const token = signDownloadLink({ reportId: report.id, organizationId: b.id, recipient: { kind: 'external', email: 'matrix-auditor@example.test' }, expiresAt: new Date(Date.now() + 3_600_000) });
    const { GET } = await import('./reports/download/[token]/route');
    const response = await GET(new Request(`http://localhost/api/reports/download/${token}`), { params: Promise.resolve({ token }) });
    expect(response.status).toBe(404);
    const text = await response.text();
    for (const name of [...a.names, report.id]) expect(text).not.toContain(name);
  });

  it('refuses an agent token on the organization API, and an API token on agent intake', async () => {
    const clusters = ORG_ROUTES.find((route) => route.url.endsWith('/orgs/[org]/clusters'));
    expect(clusters).toBeDefined();
    const result = await call(clusters!, 'GET', a.agentToken, a.slug);
    expect(result?.status).toBe(401);
    const { POST } = await import('./v1/snapshots/route');
    const intake = await POST(new Request('http://localhost/api/v1/snapshots', { method: 'POST', body: '{}', headers: { authorization: `Bearer ${b.apiToken}`, 'content-type': 'application/json' } }));
    expect(intake.status).toBe(401);
    expect((await systemDb().snapshot.count({ where: { organizationId: b.id } }))).toBe(0);
  });

  it('node report intake: an API token is refused, and B\'s agent token writes to B\'s cluster only, never A\'s', async () => {
    const { POST } = await import('./v1/node-reports/route');
    const report = JSON.stringify({
      apiVersion: 'bulwark.dev/node-report/v1', collectedAt: new Date().toISOString(), collector: { version: 'matrix' },
      node: { name: 'matrix-node', labels: {} }, components: { kubelet: { source: 'process', flags: { 'anonymous-auth': ['false'] } } }, files: [],
    });
    const send = (token: string) => POST(new Request('http://localhost/api/v1/node-reports', { method: 'POST', body: report, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }));
    expect((await send(b.apiToken)).status).toBe(401);
    const before = await systemDb().nodeReport.count({ where: { organizationId: a.id } });
    expect((await send(b.agentToken)).status).toBe(202);
    expect(await systemDb().nodeReport.count({ where: { organizationId: a.id } })).toBe(before);
    expect(await systemDb().nodeReport.count({ where: { organizationId: b.id, nodeName: 'matrix-node' } })).toBe(1);
  });
});
