import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { resetEnvForTests } from '@/lib/platform/env';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createOrg } from '@/lib/testing/factories';
import { GET as CLUSTERS } from './v1/orgs/[org]/clusters/route';
import { GET as FINDINGS } from './v1/orgs/[org]/findings/route';

type Org = { id: string; slug: string };

beforeAll(() => {
  // Small limits so the test reaches them in a few requests; the code path is the production one.
  process.env.API_RATE_LIMIT_PER_MINUTE = '3';
  process.env.API_ORG_RATE_LIMIT_PER_MINUTE = '5';
  resetEnvForTests();
});
afterAll(async () => {
  delete process.env.API_RATE_LIMIT_PER_MINUTE;
  delete process.env.API_ORG_RATE_LIMIT_PER_MINUTE;
  resetEnvForTests();
  await closeProducers();
  await disconnectDb();
});

const tokenFor = async (org: Org, name: string) => (await createApiToken(systemContext(org.id, 'test', org.slug), { name, role: 'VIEWER' })).token;
const get = (route: typeof CLUSTERS, what: string, org: Org, token: string) =>
  route(new Request(`http://localhost/api/v1/orgs/${org.slug}/${what}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ org: org.slug }) });

describe('the read API with API tokens', () => {
  it('answers 429 with Retry-After and a JSON error past the per-token limit, then past the organization\'s limit across its tokens, and leaves other organizations alone', async () => {
    const acme = await createOrg();
    const globex = await createOrg();
    const first = await tokenFor(acme, 'first');
    const second = await tokenFor(acme, 'second');

    // One token: three requests a minute, whichever route.
    expect((await get(CLUSTERS, 'clusters', acme, first)).status).toBe(200);
    expect((await get(FINDINGS, 'findings', acme, first)).status).toBe(200);
    expect((await get(CLUSTERS, 'clusters', acme, first)).status).toBe(200);
    const overToken = await get(FINDINGS, 'findings', acme, first);
    expect(overToken.status).toBe(429);
    const retryAfter = Number(overToken.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await overToken.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('with this token') } });

    // A second token of the same organization: the organization has 5 a minute in all, 3 already used.
    expect((await get(CLUSTERS, 'clusters', acme, second)).status).toBe(200);
    expect((await get(CLUSTERS, 'clusters', acme, second)).status).toBe(200);
    const overOrg = await get(CLUSTERS, 'clusters', acme, second);
    expect(overOrg.status).toBe(429);
    expect(overOrg.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await overOrg.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('for this organization') } });

    // Another organization's tokens have their own budget.
    expect((await get(CLUSTERS, 'clusters', globex, await tokenFor(globex, 'other'))).status).toBe(200);
  });

  it('keeps answering, and still limits, while Redis is unreachable', async () => {
    const org = await createOrg();
    const token = await tokenFor(org, 'redis-down');
    const live = process.env.REDIS_URL;
    process.env.REDIS_URL = 'redis://127.0.0.1:1'; // nothing listens there
    resetEnvForTests();
    try {
      for (let i = 0; i < 3; i++) expect((await get(CLUSTERS, 'clusters', org, token)).status).toBe(200);
      const over = await get(CLUSTERS, 'clusters', org, token);
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      if (live === undefined) delete process.env.REDIS_URL; else process.env.REDIS_URL = live;
      resetEnvForTests();
    }
  });

  it('does not spend an organization\'s budget on requests made with another organization\'s token', async () => {
    const acme = await createOrg();
    const globex = await createOrg();
    const foreign = await tokenFor(globex, 'foreign');
    for (let i = 0; i < 6; i++) expect((await get(CLUSTERS, 'clusters', acme, foreign)).status).toBe(404);
    expect((await get(CLUSTERS, 'clusters', acme, await tokenFor(acme, 'own'))).status).toBe(200);
  });
});
