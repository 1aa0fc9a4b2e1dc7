import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor, type TenantDb } from '../../platform/db/tenant';
import { countFindings, listFindingKeys, listFindingPageIds, type FindingListFilter, type FindingListKey, type FindingListSort } from '../../platform/db/findings-list-sql';
import { effectiveLastSeen } from './last-seen';
import { findingSourceOf, importedControlIdsMatching, importedFindingTitles, sourceFilter } from './finding-source';
import { admissionControlTitle } from '../../analysis/engine';
import { CUSTOM_PREFIX, customControlLabels, evidenceControlVersion, type CustomControlLabel } from '../policies/control-labels';
import {
  DEFAULT_SORT_DIRECTION, ListFindingsPageQuerySchema, ListFindingsQuerySchema, resourceOf, SEVERITIES,
  type ListFindingsPageQueryInput, type ListFindingsQuery, type ListFindingsQueryInput,
} from './schemas';
import { parseInput } from '@/lib/platform/input';

const CursorSchema = z.object({
  s: z.enum(['severity', 'lastSeenAt', 'dueAt']),
  id: z.uuid(),
  sev: z.enum(SEVERITIES),
  seen: z.iso.datetime(),
  due: z.iso.datetime().nullable(),
});

/** The cursor is opaque to clients: base64url of the last row's sort key. */
export function encodeFindingCursor(sort: FindingListSort, key: FindingListKey): string {
  const payload: z.infer<typeof CursorSchema> = { s: sort, id: key.id, sev: key.severity, seen: key.lastSeenAt.toISOString(), due: key.dueAt?.toISOString() ?? null };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeFindingCursor(sort: FindingListSort, cursor: string): FindingListKey {
  let json: unknown;
  try { json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')); } catch { json = null; }
  const parsed = CursorSchema.safeParse(json);
  if (!parsed.success || parsed.data.s !== sort) throw new AppError('invalid', 'This page link is no longer valid; start from the first page', [{ path: 'cursor', message: 'invalid cursor' }]);
  return { id: parsed.data.id, severity: parsed.data.sev, lastSeenAt: new Date(parsed.data.seen), dueAt: parsed.data.due ? new Date(parsed.data.due) : null };
}

/** Turns the query into SQL filters: a requirement becomes its controls, `mine` the user and their teams. */
type FilterQuery = Omit<ListFindingsQuery, 'sort' | 'cursor' | 'limit'>;

async function toFilter(db: TenantDb, ctx: OrgContext, query: FilterQuery, now: Date): Promise<FindingListFilter> {
  const filter: FindingListFilter = {
    clusterId: query.clusterId, namespace: query.namespace, severities: query.severity, statuses: query.status,
    assigneeUserId: query.assigneeUserId, assigneeTeamId: query.teamId,
    overdueAt: query.overdue ? now : undefined,
    controlIdPrefix: query.source ? sourceFilter(query.source) : undefined,
    resource: query.resource ? resourceOf(query.resource) : undefined,
  };
  if (query.frameworkId && query.requirementCode) {
    const mapped = await db.controlRequirement.findMany({ where: { requirement: { frameworkId: query.frameworkId, code: query.requirementCode } }, select: { controlId: true } });
    // The organization's own controls whose current version maps to the requirement count too (issue 23).
    const own = await db.customControlVersion.findMany({
      where: { requirementIds: { has: `${query.frameworkId}:${query.requirementCode}` } },
      select: { version: true, control: { select: { key: true, currentVersion: true } } },
    });
    const ownIds = own.filter((row) => row.version === row.control.currentVersion).map((row) => `${CUSTOM_PREFIX}${row.control.key}`);
    const controlIds = [...new Set([...mapped.map((row) => row.controlId), ...ownIds])];
    filter.controlIds = query.controlId ? controlIds.filter((id) => id === query.controlId) : controlIds;
  } else if (query.controlId) {
    filter.controlIds = [query.controlId];
  }
  if (query.q) {
    // The catalog is a few dozen controls: matching their ids and titles here is exact and cheaper than a join.
    const needle = query.q.toLowerCase();
    const [catalog, custom, imported] = await Promise.all([
      db.control.findMany({ select: { id: true, title: true } }),
      db.customControl.findMany({ select: { key: true, title: true }, take: 500 }),
      importedControlIdsMatching(db, needle),
    ]);
    const controls = [...catalog, ...custom.map((c) => ({ id: `${CUSTOM_PREFIX}${c.key}`, title: c.title }))];
    filter.q = { text: query.q, controlIds: [...controls.filter((c) => c.id.toLowerCase().includes(needle) || c.title.toLowerCase().includes(needle)).map((c) => c.id), ...imported] };
  }
  if (query.mine) {
    const userId = actorUserId(ctx);
    if (!userId) throw new AppError('invalid', '"mine" needs a signed-in user', [{ path: 'mine', message: 'needs a signed-in user' }]);
    const teams = await db.teamMember.findMany({ where: { userId }, select: { teamId: true } });
    filter.mine = { userId, teamIds: teams.map((team) => team.teamId) };
  }
  return filter;
}

/**
 * The organization's findings, filtered and sorted, one keyset page at a time:
 * `{ items, nextCursor, total }`, where nextCursor is null on the last page and total counts every finding the
 * filters match (on every page, whatever the cursor).
 */
export async function listFindings(ctx: OrgContext, input: ListFindingsQueryInput = {}, now: Date = new Date()) {
  authorize(ctx, 'finding.read');
  const query = parseInput(ListFindingsQuerySchema, input);
  const db = dbFor(ctx);
  const after = query.cursor ? decodeFindingCursor(query.sort, query.cursor) : null;
  const filter = await toFilter(db, ctx, query, now);
  const [keys, total] = await Promise.all([
    listFindingKeys(db, ctx.organizationId, filter, query.sort, after, query.limit + 1),
    countFindings(db, ctx.organizationId, filter),
  ]);
  const page = keys.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor = keys.length > query.limit && last ? encodeFindingCursor(query.sort, last) : null;
  return { items: await loadFindingRows(db, page.map((key) => key.id), now), nextCursor, total };
}

/**
 * One numbered page of the organization's findings, sorted by any column of the findings page in either
 * direction (ties broken by id, so pages neither repeat nor skip a finding), with the total the filters match:
 * `{ items, total, page, pageSize, pageCount, sort, dir }`. A page past the last one lists nothing.
 */
export async function listFindingsPage(ctx: OrgContext, input: ListFindingsPageQueryInput = {}, now: Date = new Date()) {
  authorize(ctx, 'finding.read');
  const query = parseInput(ListFindingsPageQuerySchema, input);
  const db = dbFor(ctx);
  const dir = query.dir ?? DEFAULT_SORT_DIRECTION[query.sort];
  const filter = await toFilter(db, ctx, query, now);
  const offset = (query.page - 1) * query.limit;
  const [ids, total] = await Promise.all([
    listFindingPageIds(db, ctx.organizationId, filter, query.sort, dir, offset, query.limit),
    countFindings(db, ctx.organizationId, filter),
  ]);
  return {
    items: await loadFindingRows(db, ids, now), total, page: query.page, pageSize: query.limit,
    pageCount: Math.max(1, Math.ceil(total / query.limit)), sort: query.sort, dir,
  };
}

/** The list's rows for these ids, in this order, with their cluster, control title and assignees. */
async function loadFindingRows(db: TenantDb, ids: readonly string[], now: Date) {
  if (ids.length === 0) return [];
  const rows = await db.finding.findMany({
    where: { id: { in: [...ids] } },
    select: {
      id: true, clusterId: true, controlId: true, severity: true, status: true, resolutionReason: true,
      resourceApiVersion: true, resourceKind: true, resourceNamespace: true, resourceName: true, message: true, isPlatform: true,
      firstSeenAt: true, lastSeenAt: true, resolvedAt: true, dueAt: true, reopenedCount: true, acknowledgedAt: true,
      assigneeUserId: true, assigneeTeamId: true,
      cluster: { select: { name: true, lastEvaluatedAt: true } },
      assigneeTeam: { select: { name: true } },
    },
  });
  const controlIds = [...new Set(rows.map((row) => row.controlId))];
  const userIds = [...new Set(rows.map((row) => row.assigneeUserId).filter((id): id is string => id !== null))];
  const [controls, users, importedTitles] = await Promise.all([
    db.control.findMany({ where: { id: { in: controlIds } }, select: { id: true, title: true } }),
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }) : [],
    importedFindingTitles(db, rows),
  ]);
  const titles = new Map(controls.map((control) => [control.id, control.title]));
  // The organization's own controls (custom.<key>) are named by their title, with the version that found the row.
  const customIds = rows.filter((row) => !titles.has(row.controlId) && row.controlId.startsWith(CUSTOM_PREFIX));
  const [customLabels, customEvidence] = customIds.length === 0 ? [new Map<string, CustomControlLabel>(), []] : await Promise.all([
    customControlLabels(db, customIds.map((row) => row.controlId)),
    db.finding.findMany({ where: { id: { in: customIds.map((row) => row.id) } }, select: { id: true, evidence: true } }),
  ]);
  const customVersions = new Map(customEvidence.map((row) => [row.id, evidenceControlVersion(row.evidence)]));
  const people = new Map(users.map((user) => [user.id, user]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const { cluster, assigneeTeam, ...finding } = row;
    return [{
      ...finding,
      lastSeenAt: effectiveLastSeen(finding, cluster.lastEvaluatedAt),
      clusterName: cluster.name,
      controlTitle: titles.get(row.controlId) ?? customLabels.get(row.controlId)?.title ?? importedTitles.get(row.id) ?? admissionControlTitle(row.controlId),
      /** catalog, custom or imported; importedFrom names the engine (Kyverno, …) of an imported PolicyReport result. */
      ...findingSourceOf(row.controlId),
      /** Set for an organization's own control: the version that produced this finding (null: not recorded). */
      custom: customLabels.has(row.controlId) ? { version: customVersions.get(row.id) ?? null } : null,
      assigneeUser: row.assigneeUserId ? (people.get(row.assigneeUserId) ?? null) : null,
      assigneeTeamName: assigneeTeam?.name ?? null,
      isOverdue: (row.status === 'OPEN' || row.status === 'ACKNOWLEDGED') && row.dueAt !== null && row.dueAt < now,
    }];
  });
}
