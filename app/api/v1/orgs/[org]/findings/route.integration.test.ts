import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { systemDb } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { createClusterWithToken, createMember, createOrg } from '@/lib/testing/factories';
import { GET as LIST } from './route';
import { POST as CREATE_TICKET } from '../tickets/route';

// The findings API keeps its keyset pages ({ items, nextCursor }) and adds `total`: every finding the filters
// match, the same on each page. The tickets API refuses a read-only assignee with a 400 naming the field.

afterAll(async () => { await closeProducers(); await disconnectDb(); });

let org: { id: string; slug: string };
let token: string;
let viewerId: string;
const bearer = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const list = (query: string) => LIST(new Request(`http://localhost/api/v1/orgs/${org.slug}/findings?${query}`, { headers: bearer() }), { params: Promise.resolve({ org: org.slug }) });

beforeAll(async () => {
  org = await createOrg();
  token = (await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'ci', role: 'MEMBER' })).token;
  viewerId = (await createMember(org, 'VIEWER')).user.id;
  const { cluster } = await createClusterWithToken(org, 'prod');
  const at = new Date('2026-03-01T00:00:00Z');
  await systemDb().finding.createMany({
    data: Array.from({ length: 7 }, (_, i) => ({
      organizationId: org.id, clusterId: cluster.id, controlId: 'workload.privileged-container', fingerprint: `fp-${i}`,
      severity: i < 5 ? 'HIGH' as const : 'LOW' as const, resourceApiVersion: 'apps/v1', resourceKind: 'Deployment', resourceNamespace: 'shop',
      resourceName: `app-${i}`, message: 'privileged', evidence: {}, firstSeenAt: at, lastSeenAt: at,
    })),
  });
});

describe('GET /api/v1/orgs/{org}/findings', () => {
  it('answers items, nextCursor and the total of the filters, the same total on the next page', async () => {
    const first = await list('severity=HIGH&limit=2');
    expect(first.status).toBe(200);
    const page1 = await first.json() as { items: { id: string }[]; nextCursor: string | null; total: number };
    expect(Object.keys(page1).sort()).toEqual(['items', 'nextCursor', 'total']);
    expect(page1).toMatchObject({ total: 5 });
    expect(page1.items).toHaveLength(2);
    const page2 = await (await list(`severity=HIGH&limit=2&cursor=${page1.nextCursor}`)).json() as typeof page1;
    expect(page2.total).toBe(5);
    expect(page2.items.map((item) => item.id)).not.toContain(page1.items[0]!.id);
    expect((await (await list('limit=50')).json() as typeof page1).total).toBe(7);
  });
});

describe('POST /api/v1/orgs/{org}/tickets', () => {
  it('refuses a viewer as the assignee with a 400 naming assigneeUserId', async () => {
    const response = await CREATE_TICKET(new Request(`http://localhost/api/v1/orgs/${org.slug}/tickets`, {
      method: 'POST', headers: bearer(), body: JSON.stringify({ title: 'Privileged pods', severity: 'SEV3', assigneeUserId: viewerId }),
    }), { params: Promise.resolve({ org: org.slug }) });
    expect(response.status).toBe(400);
    const body = await response.json() as { error: { message: string; issues: { path: string; message: string }[] } };
    expect(JSON.stringify(body)).toContain('assigneeUserId');
    expect(JSON.stringify(body)).toContain('viewer');
  });
});
