import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';
import { agentPush } from './fixtures/agent';

/**
 * The server-action half of the isolation matrix, generated from the build: every action in Next's
 * server-reference manifest is invoked the way the browser invokes it (POST with a Next-Action header) by a
 * member of organization B, with organization A's slug and ids. A new action is covered automatically.
 */
type ManifestEntry = { workers: Record<string, unknown>; filename: string; exportedName: string };
const manifest = JSON.parse(readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as { node: Record<string, ManifestEntry> };
const ACTIONS = Object.entries(manifest.node)
  .filter(([, entry]) => entry.filename.startsWith('app/o/'))
  .map(([id, entry]) => ({ id, name: `${entry.filename}#${entry.exportedName}`, page: Object.keys(entry.workers)[0] ?? '' }));

async function invoke(request: APIRequestContext, page: string, actionId: string, args: unknown[]) {
  const response = await request.post(page, {
    headers: { 'Next-Action': actionId, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' },
    data: JSON.stringify(args),
  });
  return { status: response.status(), text: await response.text() };
}

test('every server action refuses organization A\'s data to a member of organization B', async ({ page, browser }) => {
  test.setTimeout(180_000);
  expect(ACTIONS.length).toBeGreaterThanOrEqual(3);
  const acme = await createTestOrg(['OWNER']);
  const globex = await createTestOrg(['OWNER']);

  // Organization A gets a cluster and real findings, through the product.
  const ownerContext = await browser.newContext();
  const ownerPage = await ownerContext.newPage();
  await signIn(ownerPage, acme.users.OWNER);
  const created = await ownerPage.request.post(`/api/v1/orgs/${acme.slug}/clusters`, { data: { name: 'acme-private' } });
  const { cluster, token } = (await created.json()) as { cluster: { id: string }; token: string };
  await agentPush(token, 'e2e/fixtures/manifests/shop');
  let findingId = '';
  await expect.poll(async () => {
    const list = (await (await ownerPage.request.get(`/api/v1/orgs/${acme.slug}/findings?limit=1`)).json()) as { items: { id: string }[] };
    findingId = list.items[0]?.id ?? '';
    return findingId;
  }, { timeout: 45_000 }).not.toBe('');
  const before = await (await ownerPage.request.get(`/api/v1/orgs/${acme.slug}/findings/${findingId}`)).text();
  // A webhook of A's and a delivery of it (a test): B's actions must not edit, rotate, test, retry or delete them.
  const hook = await ownerPage.request.post(`/api/v1/orgs/${acme.slug}/webhooks`, { data: { url: 'https://hooks.example.com/acme-private-hook', events: ['finding.opened'] } });
  expect(hook.status()).toBe(201);
  const webhookId = ((await hook.json()) as { webhook: { id: string } }).webhook.id;
  const sentTest = await ownerPage.request.post(`/api/v1/orgs/${acme.slug}/webhooks/${webhookId}/test`);
  const deliveryId = ((await sentTest.json()) as { delivery: { id: string } }).delivery.id;
  const webhookBefore = await (await ownerPage.request.get(`/api/v1/orgs/${acme.slug}/webhooks/${webhookId}`)).json() as { webhook: Record<string, unknown> };
  await ownerContext.close();
  // A report schedule of A's and an approved external address: B's actions must not run, pause, delete or remove them.
  // (Rows written directly: the services' module graph imports JSON that Playwright's loader cannot.)
  const { systemDb } = await import('../lib/platform/db/tenant');
  const acmeOwner = await systemDb().user.findFirstOrThrow({ where: { email: acme.users.OWNER }, select: { id: true } });
  const recipient = await systemDb().reportExternalRecipient.create({ data: { organizationId: acme.id, email: 'acme-private-auditor@e2e.test' } });
  const schedule = await systemDb().reportSchedule.create({
    data: { organizationId: acme.id, frameworkId: 'iso27001-2022', format: 'CSV', period: 'previous_month', cron: '0 6 1 * *', timeZone: 'UTC', recipientUserIds: [acmeOwner.id], recipientEmails: [recipient.email], nextRunAt: new Date('2030-01-01T06:00:00Z') },
  });
  const scheduleBefore = JSON.stringify(await systemDb().reportSchedule.findUniqueOrThrow({ where: { id: schedule.id } }));
  // An access review with one undecided item (issue 22): B can neither decide it nor sign the campaign off.
  const campaign = await systemDb().accessReviewCampaign.create({ data: { organizationId: acme.id, name: 'acme-private-review', clusterIds: [cluster.id], scope: 'privileged', reviewerMode: 'person', reviewerUserId: acmeOwner.id, dueAt: new Date('2030-01-01T00:00:00Z'), createdByLabel: 'e2e' } });
  const reviewItem = await systemDb().accessReviewItem.create({ data: { organizationId: acme.id, campaignId: campaign.id, clusterId: cluster.id, clusterName: 'acme-private', snapshotId: cluster.id, subjectKind: 'User', subjectName: 'acme-private-subject', rightKey: 'k', verbs: ['get'], resources: ['secrets'], risks: ['secrets-read'], privileged: true, chain: [], reviewerUserId: acmeOwner.id } });
  const reviewBefore = JSON.stringify([await systemDb().accessReviewCampaign.findUniqueOrThrow({ where: { id: campaign.id } }), await systemDb().accessReviewItem.findUniqueOrThrow({ where: { id: reviewItem.id } })]);

  // A custom control of A's (issue 23): B can neither change, enable nor preview with it.
  const customControl = await systemDb().customControl.create({ data: { organizationId: acme.id, key: 'acme-private-control', title: 'acme-private-control' } });
  await systemDb().customControlVersion.create({ data: { organizationId: acme.id, customControlId: customControl.id, version: 1, title: 'acme-private-control', severity: 'HIGH', rationale: 'r', remediation: 'r', rule: { match: { resources: [{ kinds: ['Ingress'] }] }, validations: [{ expression: 'true' }] } } });
  const customControlBefore = JSON.stringify([await systemDb().customControl.findUniqueOrThrow({ where: { id: customControl.id } }), await systemDb().customControlVersion.count({ where: { customControlId: customControl.id } })]);

  await signIn(page, globex.users.OWNER);
  const aIds = { customControlId: customControl.id, clusterId: cluster.id, findingId, findingIds: [findingId], tokenId: cluster.id, ticketId: findingId, riskAcceptanceId: findingId, userId: findingId, teamId: findingId, membershipId: findingId, invitationId: findingId, reportId: findingId, webhookId, deliveryId, connectionId: findingId, domainId: findingId, mappingId: findingId, scheduleId: schedule.id, recipientId: recipient.id, linkId: findingId, campaignId: campaign.id, itemIds: [reviewItem.id] };
  const input = { ...aIds, url: 'https://hooks.example.com/probe', events: ['finding.opened'], format: 'SLACK', enabled: false, name: 'probe', confirmName: 'acme-private', environment: 'PRODUCTION', labels: { team: 'probe' }, title: 'probe', severity: 'SEV3', body: 'probe', role: 'VIEWER', email: 'probe@e2e.test', justification: 'probe justification long enough', decision: 'approve', expiresAt: '2030-01-01', dueAt: '2030-01-01', summary: 'probe', reason: 'probe' };
  const results: string[] = [];
  for (const action of ACTIONS) {
    const path = `/${action.page.replace(/^app\//, '').replace(/\/page$/, '').replace('[org]', globex.slug).replace(/\[(id|number)\]/g, '00000000-0000-4000-8000-000000000000')}`;
    for (const orgSlug of [acme.slug, globex.slug]) {
      const result = await invoke(page.request, path, action.id, [orgSlug, input]);
      results.push(`${action.name} as ${orgSlug === acme.slug ? 'A' : 'B'}: ${result.status}`);
      expect(result.text, `${action.name} leaks A's cluster`).not.toContain('acme-private');
      expect(result.text, `${action.name} leaks A's findings`).not.toContain('storefront');
      expect(result.text, `${action.name} leaks A's webhook`).not.toContain('acme-private-hook');
      if (orgSlug === acme.slug) expect(result.text, `${action.name} with A's slug`).toMatch(/"ok":false[\s\S]*"code":"(not_found|forbidden)"/);
    }
  }
  test.info().annotations.push({ type: 'actions', description: results.join('\n') });

  // Nothing of A changed.
  const check = await browser.newContext();
  const checkPage = await check.newPage();
  await signIn(checkPage, acme.users.OWNER);
  expect(await (await checkPage.request.get(`/api/v1/orgs/${acme.slug}/findings/${findingId}`)).text()).toBe(before);
  const webhookAfter = await (await checkPage.request.get(`/api/v1/orgs/${acme.slug}/webhooks/${webhookId}`)).json() as { webhook: Record<string, unknown> };
  expect({ ...webhookAfter.webhook, lastDelivery: null }).toEqual({ ...webhookBefore.webhook, lastDelivery: null }); // the worker may deliver the test meanwhile
  const log = await (await checkPage.request.get(`/api/v1/orgs/${acme.slug}/webhooks/${webhookId}/deliveries`)).json() as { items: { id: string }[] };
  expect(log.items.map((item) => item.id)).toEqual([deliveryId]); // B's "send test" and "retry" made no delivery of A's
  await check.close();
  // A's schedule was not run, paused or deleted, and its approved address is still there.
  expect(JSON.stringify(await systemDb().reportSchedule.findUniqueOrThrow({ where: { id: schedule.id } }))).toBe(scheduleBefore);
  expect(await systemDb().reportExternalRecipient.count({ where: { id: recipient.id } })).toBe(1);
  expect(await systemDb().report.count({ where: { organizationId: acme.id } })).toBe(0);
  // A's custom control: no new version, not enabled.
  expect(JSON.stringify([await systemDb().customControl.findUniqueOrThrow({ where: { id: customControl.id } }), await systemDb().customControlVersion.count({ where: { customControlId: customControl.id } })])).toBe(customControlBefore);
  // A's access review: no decision, no sign-off.
  expect(JSON.stringify([await systemDb().accessReviewCampaign.findUniqueOrThrow({ where: { id: campaign.id } }), await systemDb().accessReviewItem.findUniqueOrThrow({ where: { id: reviewItem.id } })])).toBe(reviewBefore);
});
