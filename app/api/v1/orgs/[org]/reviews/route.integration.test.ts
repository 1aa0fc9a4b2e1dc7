import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { seedCatalog } from '@/lib/services/catalog/seed-catalog';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { startCampaign } from '@/lib/services/reviews/campaigns';
import { createClusterWithToken, createMember, createOrg } from '@/lib/testing/factories';
import { clusterRole, clusterRoleBinding, serviceAccountSubject, snapshotOf } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';
import { GET as LIST } from './route';
import { GET as ONE } from './[id]/route';
import { GET as ITEMS } from './[id]/items/route';
import { POST as DECIDE } from './[id]/decisions/route';

// The access review API (issue 22) with an organization API token: campaigns, one campaign, its items (filters
// validated, 400 naming the field); a decision is a person's, so a token is refused with 403 and nothing changes.

afterAll(async () => { await closeProducers(); await disconnectDb(); });

let org: { id: string; slug: string };
let token: string;
let campaignId: string;
const bearer = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const url = (path: string) => `http://localhost/api/v1/orgs/${org.slug}/reviews${path}`;

beforeAll(async () => {
  await seedCatalog();
  org = await createOrg();
  const admin = await createMember(org, 'ADMIN');
  const reviewer = await createMember(org, 'MEMBER');
  token = (await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'grc', role: 'ADMIN' })).token;
  const { cluster, token: agentToken } = await createClusterWithToken(org, 'prod');
  const pushed = await pushSnapshot(agentToken, snapshotOf([
    clusterRole({ name: 'secret-reader' }, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
    clusterRoleBinding({ name: 'deployer-secrets' }, { name: 'secret-reader' }, [serviceAccountSubject('payments', 'deployer')]),
  ], { clusterUid: 'uid-review-api' }));
  await evaluateStoredSnapshot(systemContext(org.id, 'test', org.slug), pushed.snapshotId);
  campaignId = (await startCampaign(admin.ctx, { name: 'API review', clusterIds: [cluster.id], scope: 'privileged', reviewerMode: 'person', reviewerUserId: reviewer.user.id, dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString() })).id;
});

describe('the access review API', () => {
  it('lists campaigns, reads one and its items with filters', async () => {
    const list = await LIST(new Request(url(''), { headers: bearer() }), { params: Promise.resolve({ org: org.slug }) });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { campaigns: { name: string; progress: { total: number } }[] }).campaigns).toEqual([expect.objectContaining({ name: 'API review', progress: expect.objectContaining({ total: 1 }) })]);
    const one = await ONE(new Request(url(`/${campaignId}`), { headers: bearer() }), { params: Promise.resolve({ org: org.slug, id: campaignId }) });
    expect(((await one.json()) as { status: string }).status).toBe('active');
    const items = await ITEMS(new Request(url(`/${campaignId}/items?filter=undecided`), { headers: bearer() }), { params: Promise.resolve({ org: org.slug, id: campaignId }) });
    const body = (await items.json()) as { total: number; items: { subjectName: string; risks: string[]; right: string }[] };
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({ subjectName: 'deployer', risks: ['secrets-read'], right: 'get secrets cluster-wide' });
    const bad = await ITEMS(new Request(url(`/${campaignId}/items?filter=everything`), { headers: bearer() }), { params: Promise.resolve({ org: org.slug, id: campaignId }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('filter');
    const missing = await ONE(new Request(url('/not-a-uuid'), { headers: bearer() }), { params: Promise.resolve({ org: org.slug, id: 'not-a-uuid' }) });
    expect(missing.status).toBe(404);
  });

  it('refuses a decision from an API token (a person decides), and the item stays undecided', async () => {
    const items = await ITEMS(new Request(url(`/${campaignId}/items`), { headers: bearer() }), { params: Promise.resolve({ org: org.slug, id: campaignId }) });
    const [item] = ((await items.json()) as { items: { id: string }[] }).items;
    const response = await DECIDE(new Request(url(`/${campaignId}/decisions`), { method: 'POST', headers: bearer(), body: JSON.stringify({ itemIds: [item!.id], decision: 'revoke' }) }), { params: Promise.resolve({ org: org.slug, id: campaignId }) });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Only a signed-in user');
    const invalid = await DECIDE(new Request(url(`/${campaignId}/decisions`), { method: 'POST', headers: bearer(), body: JSON.stringify({ itemIds: [], decision: 'maybe' }) }), { params: Promise.resolve({ org: org.slug, id: campaignId }) });
    expect(invalid.status).toBe(400);
    const after = await ITEMS(new Request(url(`/${campaignId}/items?filter=undecided`), { headers: bearer() }), { params: Promise.resolve({ org: org.slug, id: campaignId }) });
    expect(((await after.json()) as { total: number }).total).toBe(1);
  });
});
