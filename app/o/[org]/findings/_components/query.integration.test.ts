import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '@/lib/platform/db/client';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createMember } from '@/lib/testing/factories';
import { seedCatalog } from '@/lib/services/catalog/seed-catalog';
import { listFindingsPage } from '@/lib/services/findings/list-findings';
import { orgWithFindings, type Fixture } from '@/lib/testing/findings-fixture';
import type { OrgContext } from '@/lib/platform/auth/context';
import { parseFindingsPageQuery, toListQuery, toSearch } from './query';

// The findings page's own path: URL parameters → page query → the service. A filter the page cannot run must
// say so; one it can run must reach the service whole.

afterAll(async () => { await closeProducers(); await disconnectDb(); });

let fx: Fixture;
let ctx: OrgContext;
beforeAll(async () => {
  await seedCatalog();
  fx = await orgWithFindings(['api', 'web']);
  ctx = (await createMember(fx.org, 'VIEWER')).ctx;
});

const list = (params: Record<string, string>) => listFindingsPage(ctx, toListQuery(parseFindingsPageQuery(params), 50), new Date('2026-03-20T00:00:00Z'));

describe('the findings page query', () => {
  it('names the framework of a requirement typed alone, and filters by it (it was silently ignored)', async () => {
    const query = parseFindingsPageQuery({ requirement: '5.2.2' });
    expect(query).toMatchObject({ framework: 'cis-k8s-1.9', requirement: '5.2.2', frameworkInferred: true })
    expect(query.problem).toBeUndefined();;
    expect(toSearch(query)).toMatchObject({ framework: 'cis-k8s-1.9', requirement: '5.2.2' });
    const privileged = await list({ requirement: '5.2.2', status: 'all' });
    expect(privileged.items.map((f) => f.controlId)).toEqual(['workload.privileged-container', 'workload.privileged-container']);
    // A requirement the privileged containers do not touch lists none of them (before, every finding was listed).
    expect((await list({ requirement: '5.1.1', status: 'all' })).items).toEqual([]);
  });

  it('answers a requirement no framework has, or one its framework lacks, with a message instead of every finding', () => {
    expect(parseFindingsPageQuery({ requirement: '9.9.9' }).problem).toContain('No framework has a requirement "9.9.9"');
    expect(parseFindingsPageQuery({ framework: 'cis-k8s-1.9', requirement: 'A.8.9' }).problem).toContain('has no requirement "A.8.9"');
  });

  it('keeps an exact resource (the cluster page links a node\'s findings with it) and names a malformed one', () => {
    const query = parseFindingsPageQuery({ resource: 'Node/cp-1' });
    expect(query.problem).toBeUndefined();
    expect(toListQuery(query, 50)).toMatchObject({ resource: 'Node/cp-1' });
    expect(toSearch(query)).toMatchObject({ resource: 'Node/cp-1' });
    expect(parseFindingsPageQuery({ resource: 'cp-1' }).problem).toContain('a resource is Kind/name');
  });

  it('keeps a quick view\'s condition when another filter is added', async () => {
    await fx.db.finding.update({ where: { id: fx.byName('web').id }, data: { dueAt: new Date('2026-03-10T00:00:00Z') } });
    await fx.db.finding.update({ where: { id: fx.byName('api').id }, data: { dueAt: new Date('2026-04-10T00:00:00Z') } });
    const overdueInProd = await list({ overdue: '1', cluster: fx.cluster.id, status: 'all' });
    expect(overdueInProd.items.map((f) => f.resourceName)).toEqual(['web']);
    expect(toSearch(parseFindingsPageQuery({ overdue: '1', cluster: fx.cluster.id }))).toMatchObject({ overdue: true, cluster: fx.cluster.id });
  });

  it('keeps the sort, its direction and the page in the URL, leaving out what is usual', () => {
    const query = parseFindingsPageQuery({ sort: 'cluster', dir: 'desc', page: '2', severity: 'HIGH' });
    expect(query).toMatchObject({ sort: 'cluster', dir: 'desc', page: 2 });
    expect(toSearch(query)).toMatchObject({ sort: 'cluster', dir: 'desc', page: 2, severity: ['HIGH'] });
    expect(toListQuery(query, 25)).toMatchObject({ sort: 'cluster', dir: 'desc', page: 2, limit: 25 });
    // Each column has its usual direction (severity: most severe first; last seen: latest first).
    expect(toSearch(parseFindingsPageQuery({ sort: 'cluster', dir: 'asc' }))).toMatchObject({ sort: 'cluster', dir: undefined, page: undefined });
    expect(parseFindingsPageQuery({})).toMatchObject({ sort: 'severity', dir: 'desc', page: 1 });
    expect(parseFindingsPageQuery({ sort: 'lastSeenAt' }).dir).toBe('desc');
    // A stale or tampered link still shows a page.
    expect(parseFindingsPageQuery({ sort: 'message', dir: 'up', page: '-3' })).toMatchObject({ sort: 'severity', dir: 'desc', page: 1 });
  });
});
