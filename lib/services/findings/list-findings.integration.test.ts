import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { dbFor } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { seedCatalog } from '../catalog/seed-catalog';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import type { OrgContext } from '../../platform/auth/context';
import { listFindingKeys } from '../../platform/db/findings-list-sql';
import { listFindings } from './list-findings';
import { SEVERITIES, type ListFindingsQueryInput } from './schemas';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const CONTROLS = ['workload.privileged-container', 'workload.host-network', 'namespace.default-deny-missing'];
const STATUSES = ['OPEN', 'OPEN', 'ACKNOWLEDGED', 'RISK_ACCEPTED', 'RESOLVED'] as const;
const NOW = new Date('2026-06-15T12:00:00Z');
const TOTAL = 400;

type Row = { id: string; severity: (typeof SEVERITIES)[number]; status: string; lastSeenAt: Date; dueAt: Date | null; resourceName: string; resourceNamespace: string | null; clusterId: string; controlId: string; assigneeUserId: string | null; assigneeTeamId: string | null };

let org: Awaited<ReturnType<typeof createOrg>>;
let other: Awaited<ReturnType<typeof createOrg>>;
let member: { user: { id: string }; ctx: OrgContext };
let outsider: { user: { id: string }; ctx: OrgContext };
let teamId: string;
let prodId: string;
let rows: Row[];

/** 400 findings with many ties on lastSeenAt, some without due date or namespace, spread over two clusters. */
async function seedFindings(target: { id: string; slug: string }, namePrefix: string, assignee: string | null, team: string | null) {
  const prod = await createClusterWithToken(target, 'prod');
  const staging = await createClusterWithToken(target, 'staging');
  const data = Array.from({ length: TOTAL }, (_, i) => ({
    organizationId: target.id,
    clusterId: i % 2 === 0 ? prod.cluster.id : staging.cluster.id,
    controlId: CONTROLS[i % 3] as string,
    fingerprint: `fp-${i}`,
    severity: SEVERITIES[[0, 1, 2, 3, 3, 3, 3, 3][i % 8] as number] as Row['severity'], // 250 LOW: a dense severity
    status: STATUSES[i % 5] as Row['status'] as 'OPEN',
    resourceApiVersion: 'apps/v1',
    resourceKind: 'Deployment',
    resourceNamespace: i % 11 === 0 ? null : `ns-${i % 5}`,
    resourceName: i === 7 ? `${namePrefix}odd_name%` : `${namePrefix}app-${i}`,
    message: 'm',
    evidence: {},
    firstSeenAt: new Date('2026-06-01T00:00:00Z'),
    lastSeenAt: new Date(Date.UTC(2026, 5, 10, 0, i % 40)), // ~7 rows share each instant
    dueAt: i % 7 === 0 ? null : new Date(NOW.getTime() + ((i % 20) - 10) * 86_400_000),
    assigneeUserId: i % 10 === 0 ? assignee : null,
    assigneeTeamId: i % 10 === 1 ? team : null,
  }));
  const created = await dbFor({ organizationId: target.id }).finding.createManyAndReturn({ data, select: { id: true, severity: true, status: true, lastSeenAt: true, dueAt: true, resourceName: true, resourceNamespace: true, clusterId: true, controlId: true, assigneeUserId: true, assigneeTeamId: true } });
  return { rows: created as Row[], prodId: prod.cluster.id };
}

beforeAll(async () => {
  await seedCatalog();
  org = await createOrg();
  other = await createOrg();
  member = await createMember(org, 'VIEWER');
  outsider = await createMember(other, 'OWNER');
  const db = dbFor({ organizationId: org.id });
  const team = await db.team.create({ data: { organizationId: org.id, name: 'Platform' } });
  teamId = team.id;
  await db.teamMember.create({ data: { organizationId: org.id, teamId, userId: member.user.id } });
  ({ rows, prodId } = await seedFindings(org, '', member.user.id, teamId));
  await seedFindings(other, '', outsider.user.id, null); // same names, another tenant
});

async function allPages(ctx: OrgContext, query: ListFindingsQueryInput) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listFindings(ctx, { ...query, cursor }, NOW);
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor && pages < 500);
  return ids;
}

const severityRank = (s: string) => SEVERITIES.indexOf(s as Row['severity']);
const byDesc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

describe('listing findings', () => {
  it('pages through every finding in severity order with no overlap and no gap', async () => {
    const ids = await allPages(member.ctx, { limit: 37 });
    const expected = [...rows].sort((a, b) => severityRank(a.severity) - severityRank(b.severity)
      || b.lastSeenAt.getTime() - a.lastSeenAt.getTime() || byDesc(a.id, b.id)).map((row) => row.id);
    expect(new Set(ids).size).toBe(TOTAL);
    expect(ids).toEqual(expected);
  });

  it('pages one finding at a time through a severity with many findings (read in last-seen order) into the next', async () => {
    const expected = [...rows].sort((a, b) => severityRank(a.severity) - severityRank(b.severity)
      || b.lastSeenAt.getTime() - a.lastSeenAt.getTime() || byDesc(a.id, b.id)).map((row) => row.id).slice(0, 170);
    const ids: string[] = [];
    let cursor: string | undefined;
    while (ids.length < 170) { // 50 critical, 50 high, 50 medium (sparse), then into the 250 low (dense)
      const page = await listFindings(member.ctx, { limit: 1, cursor }, NOW);
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    }
    expect(ids).toEqual(expected);
  });

  it('pages by last seen and by due date (no due date last) the same way', async () => {
    const bySeen = await allPages(member.ctx, { sort: 'lastSeenAt', limit: 50 });
    expect(bySeen).toEqual([...rows].sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime() || byDesc(a.id, b.id)).map((row) => row.id));
    const byDue = await allPages(member.ctx, { sort: 'dueAt', limit: 23 });
    const dueKey = (row: Row) => row.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
    expect(byDue).toEqual([...rows].sort((a, b) => dueKey(a) - dueKey(b) || (a.id < b.id ? -1 : 1)).map((row) => row.id));
  });

  it('returns rows with their cluster, control title and assignee', async () => {
    const { items } = await listFindings(member.ctx, { assigneeUserId: member.user.id, limit: 1, sort: 'lastSeenAt' }, NOW);
    expect(items[0]).toMatchObject({ assigneeUser: { id: member.user.id }, clusterName: expect.stringMatching(/prod|staging/) });
    const { items: privileged } = await listFindings(member.ctx, { controlId: 'workload.privileged-container', limit: 1 }, NOW);
    expect(privileged[0]?.controlTitle).toBe('Containers do not run privileged');
  });

  it('filters by cluster, namespace, severities, statuses and control', async () => {
    const expectIds = async (query: ListFindingsQueryInput, keep: (row: Row) => boolean) => {
      expect((await allPages(member.ctx, { ...query, limit: 200 })).sort()).toEqual(rows.filter(keep).map((row) => row.id).sort());
    };
    await expectIds({ clusterId: prodId }, (row) => row.clusterId === prodId);
    await expectIds({ namespace: 'ns-3' }, (row) => row.resourceNamespace === 'ns-3');
    await expectIds({ severity: 'CRITICAL,LOW' }, (row) => row.severity === 'CRITICAL' || row.severity === 'LOW');
    await expectIds({ status: ['OPEN', 'ACKNOWLEDGED'] }, (row) => row.status === 'OPEN' || row.status === 'ACKNOWLEDGED');
    await expectIds({ controlId: 'workload.host-network', severity: ['HIGH'] }, (row) => row.controlId === 'workload.host-network' && row.severity === 'HIGH');
    await expectIds({ assigneeUserId: member.user.id }, (row) => row.assigneeUserId === member.user.id);
    await expectIds({ teamId }, (row) => row.assigneeTeamId === teamId);
  });

  it('filters by a framework requirement through its mapped controls', async () => {
    const ids = await allPages(member.ctx, { frameworkId: 'cis-k8s-1.9', requirementCode: '5.2.2', limit: 200 });
    expect(ids.sort()).toEqual(rows.filter((row) => row.controlId === 'workload.privileged-container').map((row) => row.id).sort());
    expect(await allPages(member.ctx, { frameworkId: 'cis-k8s-1.9', requirementCode: '99.99' })).toEqual([]);
    await expect(listFindings(member.ctx, { frameworkId: 'cis-k8s-1.9' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('shows "mine": assigned to me or to one of my teams', async () => {
    const ids = await allPages(member.ctx, { mine: 'true', limit: 200 });
    expect(ids.sort()).toEqual(rows.filter((row) => row.assigneeUserId === member.user.id || row.assigneeTeamId === teamId).map((row) => row.id).sort());
  });

  it('shows overdue findings: open or acknowledged and past due', async () => {
    const ids = await allPages(member.ctx, { overdue: true, limit: 200 });
    const expected = rows.filter((row) => (row.status === 'OPEN' || row.status === 'ACKNOWLEDGED') && row.dueAt !== null && row.dueAt < NOW);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids.sort()).toEqual(expected.map((row) => row.id).sort());
    const { items } = await listFindings(member.ctx, { overdue: true, limit: 1 }, NOW);
    expect(items[0]?.isOverdue).toBe(true);
  });

  it('searches resource names, namespaces, and control ids and titles, taking % and _ literally', async () => {
    expect((await allPages(member.ctx, { q: 'APP-29', limit: 200 })).sort()).toEqual(rows.filter((row) => /app-29/.test(row.resourceName)).map((row) => row.id).sort());
    expect(await allPages(member.ctx, { q: 'odd_name%' })).toEqual([rows.find((row) => row.resourceName === 'odd_name%')?.id]);
    expect(await allPages(member.ctx, { q: 'd_n' })).toEqual([rows.find((row) => row.resourceName === 'odd_name%')?.id]);
    expect((await allPages(member.ctx, { q: 'host-net', limit: 200 })).length).toBe(rows.filter((row) => row.controlId === 'workload.host-network').length);
    expect((await allPages(member.ctx, { q: 'ns-4', limit: 200 })).length).toBe(rows.filter((row) => row.resourceNamespace === 'ns-4').length);
    // "Host network namespace is not shared": found by its title, not only its id.
    const byTitle = rows.filter((row) => row.controlId === 'workload.host-network').map((row) => row.id).sort();
    expect(byTitle.length).toBeGreaterThan(0);
    expect((await allPages(member.ctx, { q: 'NETWORK NAMESPACE', limit: 200 })).sort()).toEqual(byTitle);
  });

  it('filters one resource exactly: app-2 is not app-29, and a cluster-scoped name has no namespace', async () => {
    const one = (name: string, namespace: string | null) => rows.filter((row) => row.resourceName === name && row.resourceNamespace === namespace).map((row) => row.id);
    expect(one('app-2', 'ns-2')).toHaveLength(1);
    expect(await allPages(member.ctx, { resource: 'Deployment/ns-2/app-2', limit: 200 })).toEqual(one('app-2', 'ns-2'));
    // Row 22 has no namespace (every eleventh): `Kind/name` finds it, `Kind/namespace/name` does not.
    expect(await allPages(member.ctx, { resource: 'Deployment/app-22' })).toEqual(one('app-22', null));
    expect(await allPages(member.ctx, { resource: 'Deployment/ns-2/app-22' })).toEqual([]);
    expect(await allPages(member.ctx, { resource: 'StatefulSet/ns-2/app-2' })).toEqual([]);
    await expect(listFindings(member.ctx, { resource: 'app-2' })).rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'resource' }] });
    await expect(listFindings(member.ctx, { resource: 'Deployment//app-2' })).rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'resource' }] });
  });

  it('never shows another organization\'s findings, whatever the filter', async () => {
    const mine = new Set(rows.map((row) => row.id));
    const theirs = await allPages(outsider.ctx, { limit: 200 });
    expect(theirs).toHaveLength(TOTAL);
    expect(theirs.some((id) => mine.has(id))).toBe(false);
    expect(await allPages(outsider.ctx, { clusterId: prodId })).toEqual([]);
    expect(await allPages(outsider.ctx, { teamId })).toEqual([]);
  });

  it('runs its raw SQL inside the organization it is given, for every sort', async () => {
    const mine = new Set(rows.map((row) => row.id));
    for (const sort of ['severity', 'lastSeenAt', 'dueAt'] as const) {
      const theirs = await listFindingKeys(dbFor({ organizationId: other.id }), other.id, {}, sort, null, 1000);
      expect(theirs).toHaveLength(TOTAL);
      expect(theirs.some((key) => mine.has(key.id))).toBe(false);
      expect(await listFindingKeys(dbFor({ organizationId: other.id }), other.id, { clusterId: prodId }, sort, null, 1000)).toEqual([]);
    }
  });

  it('refuses a limit over 200, a forged cursor and a cursor from another sort (400)', async () => {
    await expect(listFindings(member.ctx, { limit: 201 })).rejects.toMatchObject({ code: 'invalid' });
    await expect(listFindings(member.ctx, { cursor: 'bm90LWpzb24' })).rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'cursor' }] });
    const { nextCursor } = await listFindings(member.ctx, { limit: 5 }, NOW);
    await expect(listFindings(member.ctx, { sort: 'dueAt', cursor: nextCursor ?? '' })).rejects.toMatchObject({ code: 'invalid' });
  });
});
