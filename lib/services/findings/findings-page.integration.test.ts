import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { systemDb } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { isAppError } from '../../platform/errors';
import type { OrgContext } from '../../platform/auth/context';
import type { FindingStatus, Severity } from '../../platform/db/client';
import { CATALOG } from '../../analysis/controls/catalog';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { seedCatalog } from '../catalog/seed-catalog';
import { listFindings, listFindingsPage } from './list-findings';
import { FINDING_PAGE_SORTS, type FindingPageSort, type SortDirection } from './schemas';

// Numbered pages of the findings list: every column sorts both ways, rows that tie on the column keep one order
// (by id), so walking the pages lists every matching finding exactly once; the total is the same filter's count.

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const SEVERITIES: Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const STATUSES: FindingStatus[] = ['OPEN', 'ACKNOWLEDGED', 'OPEN', 'RESOLVED'];
const COUNT = 61;

let org: { id: string; slug: string };
let viewer: OrgContext;
let clusters: { id: string; name: string }[];
let people: { id: string; label: string }[];
let team: { id: string; name: string };
const controls = CATALOG.slice(0, 3);

beforeAll(async () => {
  await seedCatalog();
  org = await createOrg();
  viewer = (await createMember(org, 'VIEWER')).ctx;
  const zed = await createMember(org, 'MEMBER', `zed-${org.id.slice(0, 8)}@example.test`);
  const amy = await createMember(org, 'MEMBER', `amy-${org.id.slice(0, 8)}@example.test`);
  people = [{ id: zed.user.id, label: zed.user.email }, { id: amy.user.id, label: amy.user.email }];
  team = await systemDb().team.create({ data: { organizationId: org.id, name: 'Platform' }, select: { id: true, name: true } });
  clusters = [
    { id: (await createClusterWithToken(org, 'beta')).cluster.id, name: 'beta' },
    { id: (await createClusterWithToken(org, 'alpha')).cluster.id, name: 'alpha' },
  ];
  // Few distinct values per column: most rows tie with many others on whatever column the list is sorted by.
  const seen = [new Date('2026-03-01T00:00:00Z'), new Date('2026-03-02T00:00:00Z')];
  await systemDb().finding.createMany({
    data: Array.from({ length: COUNT }, (_, i) => {
      const control = controls[i % controls.length]!;
      return {
        organizationId: org.id, clusterId: clusters[i % 2]!.id, controlId: control.id, fingerprint: `fp-${i}`,
        severity: SEVERITIES[i % 4]!, status: STATUSES[i % 4]!, resourceApiVersion: 'apps/v1', resourceKind: 'Deployment',
        resourceNamespace: i % 5 === 0 ? null : `ns-${i % 3}`, resourceName: `app-${i % 4}`, message: control.title, evidence: {},
        firstSeenAt: seen[0]!, lastSeenAt: seen[i % 2]!, dueAt: i % 3 === 0 ? null : new Date(`2026-04-0${1 + (i % 2)}T00:00:00Z`),
        assigneeUserId: i % 4 === 0 ? null : people[i % 2]!.id, assigneeTeamId: i % 6 === 0 ? team.id : null,
      };
    }),
  });
});

type Row = Awaited<ReturnType<typeof listFindingsPage>>['items'][number];
const SEVERITY_RANK: Record<string, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };
const STATUS_RANK: Record<string, number> = { OPEN: 0, ACKNOWLEDGED: 1, RISK_ACCEPTED: 2, RESOLVED: 3 };

/** The column's value as the reader compares it (null: empty, listed last either way). */
function columnValue(sort: FindingPageSort, row: Row): string | number | null {
  switch (sort) {
    case 'severity': return -SEVERITY_RANK[row.severity]!; // more severe is "more"
    case 'control': return row.controlTitle;
    case 'resource': return `${row.resourceNamespace ?? ''}/${row.resourceName}`;
    case 'cluster': return row.clusterName;
    case 'status': return STATUS_RANK[row.status]!;
    // The person first (a finding with only a team sorts after every person, by the team's name).
    case 'assignee': return row.assigneeUser ? (row.assigneeUser.name ?? row.assigneeUser.email).toLowerCase() : null;
    case 'dueAt': return row.dueAt?.getTime() ?? null;
    case 'lastSeenAt': return row.lastSeenAt.getTime();
  }
}

async function walk(sort: FindingPageSort, dir: SortDirection, filters: Record<string, unknown> = {}) {
  const rows: Row[] = [];
  let total = -1;
  for (let page = 1; page <= 10; page++) {
    const result = await listFindingsPage(viewer, { status: [...FINDING_STATUSES_ALL], ...filters, sort, dir, page, limit: 25 });
    total = result.total;
    rows.push(...result.items);
    if (page >= result.pageCount) break;
  }
  return { rows, total };
}
const FINDING_STATUSES_ALL = ['OPEN', 'ACKNOWLEDGED', 'RISK_ACCEPTED', 'RESOLVED'] as const;

describe('numbered pages of findings', () => {
  it.each(FINDING_PAGE_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((dir) => [sort, dir] as const)))(
    'sorted by %s %s, the pages list every finding once, in the column\'s order', async (sort, dir) => {
      const { rows, total } = await walk(sort, dir);
      expect(total).toBe(COUNT);
      expect(new Set(rows.map((row) => row.id)).size).toBe(COUNT);
      const values = rows.map((row) => columnValue(sort, row));
      const filled = values.filter((value) => value !== null);
      // Empty values come last, in both directions.
      expect(values.slice(0, filled.length)).toEqual(filled);
      const sorted = [...filled].sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0));
      if (sort === 'resource' || sort === 'control' || sort === 'cluster' || sort === 'assignee') {
        // Text compares in the database's collation: check the grouping and the direction, not byte order.
        expect(filled[0] === filled.at(-1) || (dir === 'asc' ? filled[0] !== sorted.at(-1) : filled[0] !== sorted[0])).toBe(true);
        const runs = filled.filter((value, i) => i === 0 || value !== filled[i - 1]);
        expect(new Set(runs).size).toBe(runs.length); // each value in one run: ties sit together
      } else {
        expect(filled).toEqual(dir === 'asc' ? sorted : sorted.reverse());
      }
    },
  );

  it('breaks ties by id: the rows of one severity keep the same order on every request and across the page break', async () => {
    const first = await walk('status', 'asc');
    const again = await walk('status', 'asc');
    expect(again.rows.map((row) => row.id)).toEqual(first.rows.map((row) => row.id));
    // The default order's first page comes from the per-severity index path, the second from the sorted query: they meet exactly.
    const active = ['OPEN', 'ACKNOWLEDGED'] as const;
    const page1 = await listFindingsPage(viewer, { limit: 20, status: [...active] });
    const page2 = await listFindingsPage(viewer, { limit: 20, page: 2, status: [...active] });
    const both = [...page1.items, ...page2.items].map((row) => row.id);
    expect(new Set(both).size).toBe(both.length);
    const walked = await walk('severity', 'desc', { status: [...active] });
    expect(walked.total).toBe(page1.total);
    expect(both).toEqual(walked.rows.slice(0, both.length).map((row) => row.id));
    expect(walked.rows.length).toBeGreaterThan(both.length); // a third page exists: both pages were full
  });

  it('counts what the filters match, on every page and past the last one', async () => {
    const filters = { severity: ['HIGH', 'CRITICAL'], clusterId: clusters[0]!.id };
    const expected = await systemDb().finding.count({ where: { organizationId: org.id, severity: { in: ['HIGH', 'CRITICAL'] }, clusterId: clusters[0]!.id, status: { in: ['OPEN', 'ACKNOWLEDGED'] } } });
    expect(expected).toBeGreaterThan(3);
    const first = await listFindingsPage(viewer, { ...filters, status: ['OPEN', 'ACKNOWLEDGED'], limit: 3, sort: 'cluster' });
    expect(first).toMatchObject({ total: expected, page: 1, pageSize: 3, pageCount: Math.ceil(expected / 3), dir: 'asc' });
    const beyond = await listFindingsPage(viewer, { ...filters, status: ['OPEN', 'ACKNOWLEDGED'], limit: 3, page: 99 });
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(expected);
    const mine = await listFindingsPage(viewer, { assigneeUserId: people[0]!.id, status: [...FINDING_STATUSES_ALL] });
    expect(mine.total).toBe(mine.items.length);
    expect(mine.items.every((row) => row.assigneeUserId === people[0]!.id)).toBe(true);
  });

  it('refuses a sort the page does not have, and a page number below 1, with a 400 naming the field', async () => {
    for (const [input, path] of [[{ sort: 'message' }, 'sort'], [{ page: 0 }, 'page'], [{ dir: 'sideways' }, 'dir']] as const) {
      const error = await listFindingsPage(viewer, input as never).catch((e: unknown) => e);
      expect(isAppError(error) && error.status === 400 && error.issues.some((issue) => issue.path === path)).toBe(true);
    }
  });

  it('gives the keyset list (the API) the same total on every page', async () => {
    const first = await listFindings(viewer, { limit: 20, status: [...FINDING_STATUSES_ALL] });
    expect(first.total).toBe(COUNT);
    const second = await listFindings(viewer, { limit: 20, status: [...FINDING_STATUSES_ALL], cursor: first.nextCursor! });
    expect(second.total).toBe(COUNT);
    expect(second.items.some((row) => first.items.some((seen) => seen.id === row.id))).toBe(false);
  });
});
