import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '../lib/platform/auth/context';
import { seedCatalog } from '../lib/services/catalog/seed-catalog';
import { disconnectDb } from '../lib/platform/db/client';
import { findOrganizationBySlug } from '../lib/services/orgs/create-organization';
import { closeProducers } from '../lib/platform/queue/producers';
import { listCampaigns } from '../lib/services/reviews/campaigns';
import { listItems } from '../lib/services/reviews/items';
import { seedDemoOrganizations } from '../prisma/demo/seed-demo';
import { loadDemoHistory } from './demo-history';
import { loadDemoAccessReviews } from './demo-access-reviews';

let acme: OrgContext;
let summary: string;

beforeAll(async () => {
  await seedCatalog();
  await seedDemoOrganizations();
  await loadDemoHistory();
  const org = await findOrganizationBySlug('acme');
  if (!org) throw new Error('Acme was not seeded');
  acme = systemContext(org.id, 'test', org.slug);
  summary = await loadDemoAccessReviews();
}, 600_000);

afterAll(async () => { await closeProducers(); await disconnectDb(); });

describe("Acme's demo access reviews", () => {
  it('has last quarter\'s review signed off and this quarter\'s in progress, and loads once', async () => {
    expect(summary).toMatch(/^access reviews/);
    const campaigns = await listCampaigns(acme);
    expect(campaigns.map((c) => [c.name, c.status])).toEqual([
      ['Privileged access review (this quarter)', 'active'],
      ['Privileged access review (last quarter)', 'completed'],
    ]);
    const [current, past] = campaigns as [typeof campaigns[number], typeof campaigns[number]];
    expect(past.progress.decided).toBe(past.progress.total);
    expect(past.progress.total).toBeGreaterThan(0);
    expect(past.summary).toContain('privileged rights reviewed');
    expect(current.progress.decided).toBeGreaterThan(0);
    expect(current.progress.decided).toBeLessThan(current.progress.total);
    const kept = await listItems(acme, past.id, { filter: 'kept', limit: 5 });
    expect(kept.items.every((item) => (item.reason ?? '').length > 10)).toBe(true);
    expect(await loadDemoAccessReviews()).toBe('demo access reviews already loaded');
  });
});
