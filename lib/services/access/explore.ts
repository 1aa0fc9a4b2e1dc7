import { z } from 'zod';
import {
  compareGrants,
  describeAccessSubject,
  queryResource,
  riskLabel,
  subjectKey,
  subjectsActingAs,
  whatCan,
  whoCan,
  type AccessSubject,
  type Grant,
  type RbacRiskId,
  type SubjectChange,
  type WhatCanGroup,
  type WhoCanMatch,
} from '../../analysis/access';
import { accessCandidates, type AccessBindingRow, type AccessRoleRow, type AccessRuleRow } from '../../platform/db/access-sql';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor, type TenantDb } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/input';
import { grantsOfRows } from './rows';
import { CompareQuerySchema, WhatCanQuerySchema, WhoCanQuerySchema, type CompareQueryInput, type WhatCanQueryInput, type WhoCanQueryInput } from './schemas';

/** Which evaluated snapshot an answer comes from. */
export type AccessPoint = { snapshotId: string; evaluationRunId: string; collectedAt: Date; setId: string };
export type AccessCluster = { id: string; name: string };

async function clusterOf(db: TenantDb, clusterId: string, field = 'cluster'): Promise<AccessCluster> {
  if (!z.uuid().safeParse(clusterId).success) throw new AppError('not_found', 'Cluster not found');
  const cluster = await db.cluster.findUnique({ where: { id: clusterId }, select: { id: true, name: true } });
  if (!cluster) throw new AppError('not_found', field === 'cluster' ? 'Cluster not found' : `${field}: cluster not found`);
  return cluster;
}

/**
 * Time travel: the latest evaluated snapshot at or before `at` (the latest of all without it). Before the
 * cluster's first evaluated snapshot there is nothing to answer from: 404 saying so.
 */
export async function accessPointAt(db: TenantDb, cluster: AccessCluster, at: Date | undefined): Promise<AccessPoint> {
  const point = await db.accessSnapshot.findFirst({
    where: { clusterId: cluster.id, ...(at ? { collectedAt: { lte: at } } : {}) },
    orderBy: [{ collectedAt: 'desc' }, { snapshotId: 'desc' }],
    select: { snapshotId: true, evaluationRunId: true, collectedAt: true, setId: true },
  });
  if (point) return point;
  const first = await db.accessSnapshot.findFirst({ where: { clusterId: cluster.id }, orderBy: { collectedAt: 'asc' }, select: { collectedAt: true } });
  if (!first) throw new AppError('not_found', `Cluster ${cluster.name} has no evaluated snapshot with permissions yet: connect its agent, or wait for the next snapshot`);
  throw new AppError('not_found', `Cluster ${cluster.name} had no evaluated snapshot at ${at?.toISOString() ?? 'that time'}: its first is from ${first.collectedAt.toISOString()}`);
}

export type WhoCanSubject = { subject: AccessSubject; description: string; rights: (WhoCanMatch & { riskLabels: string[] })[] };
export type WhoCanAnswer = {
  cluster: AccessCluster;
  at: AccessPoint;
  question: { verb: string; resource: string; apiGroup: string; namespace: string | null; name: string | null };
  subjects: WhoCanSubject[];
};

const labels = (risks: RbacRiskId[]) => risks.map(riskLabel);

/**
 * Who can do `verb` on `resource` (+ subresource, + name) in `namespace` (any when omitted), at a point in time:
 * the set's candidate rules come from an index-backed prefilter, the exact answer from the pure engine.
 */
export async function whoCanAt(ctx: OrgContext, clusterId: string, input: WhoCanQueryInput): Promise<WhoCanAnswer> {
  authorize(ctx, 'cluster.read');
  const db = dbFor(ctx);
  if (!z.uuid().safeParse(clusterId).success) throw new AppError('not_found', 'Cluster not found');
  const parsed = WhoCanQuerySchema.safeParse(input);
  // The cluster and the snapshot in force in one round trip (who-can is the explorer's hot path).
  const [found, point] = await db.$transaction([
    db.cluster.findUnique({ where: { id: clusterId }, select: { id: true, name: true } }),
    db.accessSnapshot.findFirst({
      where: { clusterId, ...(parsed.success && parsed.data.at ? { collectedAt: { lte: parsed.data.at } } : {}) },
      orderBy: [{ collectedAt: 'desc' }, { snapshotId: 'desc' }],
      select: { snapshotId: true, evaluationRunId: true, collectedAt: true, setId: true },
    }),
  ]);
  // Another organization's cluster is not found before anything about the question is judged.
  if (!found) throw new AppError('not_found', 'Cluster not found');
  const cluster: AccessCluster = found;
  const q = parseInput(WhoCanQuerySchema, input);
  const at = point ?? (await accessPointAt(db, cluster, q.at));
  const query = { verb: q.verb, resource: q.resource, ...(q.subresource ? { subresource: q.subresource } : {}), ...(q.name ? { name: q.name } : {}), ...(q.namespace ? { namespace: q.namespace } : {}), apiGroup: q.apiGroup ?? '' };
  const resource = queryResource(query);
  const slash = resource.indexOf('/');
  const resources = ['*', resource, ...(slash > 0 ? [`*${resource.slice(slash)}`] : [])];
  const candidates = await accessCandidates(db, ctx.organizationId, at.setId, { verbs: ['*', q.verb], apiGroups: ['*', query.apiGroup], resources }, q.namespace ?? null);
  const grants = grantsOfRows(candidates.bindings, candidates.roles, candidates.rules);
  const bySubject = new Map<string, WhoCanSubject>();
  for (const match of whoCan(grants, query)) {
    const key = subjectKey(match.grant.subject);
    let entry = bySubject.get(key);
    if (!entry) {
      entry = { subject: match.grant.subject, description: describeAccessSubject(match.grant.subject), rights: [] };
      bySubject.set(key, entry);
    }
    entry.rights.push({ ...match, riskLabels: labels(match.risks) });
  }
  const subjects = [...bySubject.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  return { cluster, at, question: { verb: q.verb, resource, apiGroup: query.apiGroup, namespace: q.namespace ?? null, name: q.name ?? null }, subjects };
}

/** Every grant of a set (the whole table), or only the bindings of some subjects. */
async function loadGrants(db: TenantDb, setId: string, subjects?: AccessSubject[]): Promise<Grant[]> {
  const bindingWhere = subjects
    ? { setId, OR: subjects.map((s) => ({ subjectKind: s.kind, subjectName: s.name, subjectNamespace: s.namespace ?? '' })) }
    : { setId };
  const bindings: AccessBindingRow[] = await db.accessBinding.findMany({ where: bindingWhere, orderBy: { position: 'asc' } });
  if (bindings.length === 0) return [];
  const bound = [...new Set(bindings.map((b) => b.roleNo))];
  const roles = (await db.accessRole.findMany({ where: { setId, ...(subjects ? { no: { in: bound } } : {}) } })) as AccessRoleRow[];
  const ruleRoles = [...new Set([...roles.map((r) => r.no), ...roles.flatMap((r) => r.sourceNos)])];
  const rules: AccessRuleRow[] = await db.accessRule.findMany({ where: { setId, ...(subjects ? { roleNo: { in: ruleRoles } } : {}) }, orderBy: [{ roleNo: 'asc' }, { ruleIndex: 'asc' }] });
  return grantsOfRows(bindings, roles, rules);
}

export type WhatCanAnswer = {
  cluster: AccessCluster;
  at: AccessPoint;
  subject: AccessSubject;
  description: string;
  /** The names it is bound by: itself, and the groups Kubernetes puts it in. */
  actingAs: { subject: AccessSubject; description: string }[];
  namespaces: (Omit<WhatCanGroup, 'entries'> & { entries: (WhatCanGroup['entries'][number] & { riskLabels: string[] })[] })[];
};

/** Everything a subject can do at a point in time, by namespace, dangerous rights first. */
export async function whatCanAt(ctx: OrgContext, clusterId: string, input: WhatCanQueryInput): Promise<WhatCanAnswer> {
  authorize(ctx, 'cluster.read');
  const db = dbFor(ctx);
  // Another organization's cluster is not found before anything about the question is judged.
  const cluster = await clusterOf(db, clusterId);
  const q = parseInput(WhatCanQuerySchema, input);
  const at = await accessPointAt(db, cluster, q.at);
  const subject: AccessSubject = q.kind === 'ServiceAccount' ? { kind: q.kind, name: q.name, namespace: q.namespace as string } : { kind: q.kind, name: q.name };
  const actingAs = subjectsActingAs(subject);
  const grants = await loadGrants(db, at.setId, actingAs);
  const groups = whatCan(grants, subject);
  return {
    cluster,
    at,
    subject: actingAs[0] as AccessSubject,
    description: describeAccessSubject(actingAs[0] as AccessSubject),
    actingAs: actingAs.map((s) => ({ subject: s, description: describeAccessSubject(s) })),
    namespaces: groups.map((g) => ({ ...g, entries: g.entries.map((e) => ({ ...e, riskLabels: labels(e.risks) })) })),
  };
}

/** Most changes a compare lists per subject and direction; the counts are always complete. */
const CHANGES_LISTED = 200;

export type CompareAnswer = {
  cluster: AccessCluster;
  from: { cluster: AccessCluster; at: AccessPoint };
  to: { cluster: AccessCluster; at: AccessPoint };
  subjects: (SubjectChange & { description: string; gainedCount: number; lostCount: number; gainedRisks: string[] })[];
};

/**
 * Rights gained and lost per subject between two points in time of a cluster (`from`, and `to` or now), or
 * between this cluster and another (`otherCluster`, each at `to` or now; from = this cluster).
 */
export async function compareAccess(ctx: OrgContext, clusterId: string, input: CompareQueryInput): Promise<CompareAnswer> {
  authorize(ctx, 'cluster.read');
  const db = dbFor(ctx);
  // Another organization's cluster is not found before anything about the question is judged.
  const cluster = await clusterOf(db, clusterId);
  const q = parseInput(CompareQuerySchema, input);
  let from: { cluster: AccessCluster; at: AccessPoint };
  let to: { cluster: AccessCluster; at: AccessPoint };
  if (q.otherCluster) {
    const other = await clusterOf(db, q.otherCluster, 'otherCluster');
    from = { cluster, at: await accessPointAt(db, cluster, q.from ?? q.to) };
    to = { cluster: other, at: await accessPointAt(db, other, q.to ?? q.from) };
  } else {
    from = { cluster, at: await accessPointAt(db, cluster, q.from) };
    to = { cluster, at: await accessPointAt(db, cluster, q.to) };
  }
  const changes =
    from.at.setId === to.at.setId ? [] : compareGrants(await loadGrants(db, from.at.setId), await loadGrants(db, to.at.setId));
  const subjects = changes
    .map((change) => ({
      subject: change.subject,
      description: describeAccessSubject(change.subject),
      gainedCount: change.gained.length,
      lostCount: change.lost.length,
      gainedRisks: [...new Set(change.gained.flatMap((g) => g.risks))].map(riskLabel),
      gained: change.gained.slice(0, CHANGES_LISTED),
      lost: change.lost.slice(0, CHANGES_LISTED),
    }))
    // Subjects who gained dangerous rights first.
    .sort((a, b) => Number(b.gainedRisks.length > 0) - Number(a.gainedRisks.length > 0));
  return { cluster, from, to, subjects };
}


export type AccessOverview = {
  cluster: AccessCluster;
  /** The evaluated snapshots the explorer can answer from, newest first (at most 100). */
  points: { snapshotId: string; collectedAt: Date }[];
  first: Date | null;
  /** Namespaces bindings grant in at the latest snapshot, for the forms' suggestions. */
  namespaces: string[];
};

/** What the explorer page needs before any question: the cluster (404 for another organization's), its time range. */
export async function accessOverview(ctx: OrgContext, clusterId: string): Promise<AccessOverview> {
  authorize(ctx, 'cluster.read');
  const db = dbFor(ctx);
  const cluster = await clusterOf(db, clusterId);
  const [points, first] = await Promise.all([
    db.accessSnapshot.findMany({ where: { clusterId }, orderBy: { collectedAt: 'desc' }, take: 100, select: { snapshotId: true, collectedAt: true, setId: true } }),
    db.accessSnapshot.findFirst({ where: { clusterId }, orderBy: { collectedAt: 'asc' }, select: { collectedAt: true } }),
  ]);
  const latest = points[0];
  const namespaces = latest
    ? (await db.accessBinding.findMany({ where: { setId: latest.setId, scopeNamespace: { not: '' } }, distinct: ['scopeNamespace'], select: { scopeNamespace: true }, orderBy: { scopeNamespace: 'asc' }, take: 500 })).map((b) => b.scopeNamespace)
    : [];
  return { cluster, points: points.map(({ snapshotId, collectedAt }) => ({ snapshotId, collectedAt })), first: first?.collectedAt ?? null, namespaces };
}
