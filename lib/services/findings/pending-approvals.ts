import type { OrgContext } from '../../platform/auth/context';
import { actorUserId } from '../../platform/auth/context';
import { authorize, can } from '../../platform/auth/permissions';
import { dbFor } from '../../platform/db/tenant';
import { resourceLabel } from '@/lib/platform/app-links';
import { usersById, type UserRef } from './user-refs';

/** At most this many of each kind are listed; the page says when there are more (the count is exact). */
export const PENDING_APPROVALS_LIMIT = 200;

export type PendingRiskAcceptance = {
  kind: 'risk_acceptance';
  id: string;
  findingId: string;
  finding: { controlId: string; severity: string; status: string; resource: string; message: string; clusterName: string };
  requestedBy: UserRef | null;
  justification: string;
  expiresAt: Date;
  createdAt: Date;
  /** False for the viewer's own request: four eyes, another owner or admin must decide it. */
  canDecide: boolean;
};

export type PendingException = {
  kind: 'exception';
  id: string;
  findingId: string | null;
  controlId: string;
  scope: 'RESOURCE' | 'NAMESPACE' | 'CLUSTER';
  clusterName: string | null;
  namespace: string | null;
  resource: string | null;
  reason: string;
  requestedBy: UserRef | null;
  expiresAt: Date;
  createdAt: Date;
  canDecide: boolean;
};

export type PendingApprovals = {
  riskAcceptances: PendingRiskAcceptance[];
  exceptions: PendingException[];
  /** Requests this person can decide (not their own), over both kinds: the number the navigation shows. */
  awaitingYou: number;
  total: number;
};

/**
 * The approvals queue: risk acceptance requests and namespace- or cluster-wide exception requests waiting for a
 * decision, oldest first (the longest wait on top). Only owners and admins decide them; a request of the viewer's
 * own is listed (so they see it is waiting) but marked as one someone else must decide.
 */
export async function listPendingApprovals(ctx: OrgContext, now: Date = new Date()): Promise<PendingApprovals> {
  authorize(ctx, 'risk.approve');
  const me = actorUserId(ctx);
  const db = dbFor(ctx);
  const [acceptances, exceptions, acceptanceCount, exceptionCount] = await Promise.all([
    db.riskAcceptance.findMany({
      where: { status: 'PENDING', expiresAt: { gt: now } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: PENDING_APPROVALS_LIMIT,
      select: {
        id: true, findingId: true, requestedById: true, justification: true, expiresAt: true, createdAt: true,
        finding: { select: { controlId: true, severity: true, status: true, resourceKind: true, resourceNamespace: true, resourceName: true, message: true, cluster: { select: { name: true } } } },
      },
    }),
    db.findingException.findMany({
      where: { status: 'PENDING', expiresAt: { gt: now } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: PENDING_APPROVALS_LIMIT,
    }),
    db.riskAcceptance.count({ where: { status: 'PENDING', expiresAt: { gt: now } } }),
    db.findingException.count({ where: { status: 'PENDING', expiresAt: { gt: now } } }),
  ]);
  const clusterIds = [...new Set(exceptions.map((row) => row.clusterId).filter((id): id is string => id !== null))];
  const [users, clusters] = await Promise.all([
    usersById(db, [...acceptances.map((row) => row.requestedById), ...exceptions.map((row) => row.createdById)]),
    db.cluster.findMany({ where: { id: { in: clusterIds } }, select: { id: true, name: true } }),
  ]);
  const clusterNames = new Map(clusters.map((cluster) => [cluster.id, cluster.name]));
  const canDecideExceptions = can(ctx, 'exception.manage');
  const riskAcceptances = acceptances.map((row): PendingRiskAcceptance => ({
    kind: 'risk_acceptance', id: row.id, findingId: row.findingId,
    finding: {
      controlId: row.finding.controlId, severity: row.finding.severity, status: row.finding.status,
      resource: resourceLabel(row.finding), message: row.finding.message, clusterName: row.finding.cluster.name,
    },
    requestedBy: users.get(row.requestedById) ?? null, justification: row.justification, expiresAt: row.expiresAt, createdAt: row.createdAt,
    canDecide: row.requestedById !== me,
  }));
  const pendingExceptions = exceptions.map((row): PendingException => ({
    kind: 'exception', id: row.id, findingId: row.findingId, controlId: row.controlId, scope: row.scope,
    clusterName: row.clusterId ? (clusterNames.get(row.clusterId) ?? null) : null, namespace: row.namespace,
    resource: row.resourceKind && row.resourceName ? `${row.resourceKind} ${row.resourceName}` : null,
    reason: row.reason, requestedBy: users.get(row.createdById) ?? null, expiresAt: row.expiresAt, createdAt: row.createdAt,
    canDecide: canDecideExceptions && row.createdById !== me,
  }));
  const awaitingYou = await countAwaitingDecision(ctx, now);
  return { riskAcceptances, exceptions: pendingExceptions, awaitingYou, total: acceptanceCount + exceptionCount };
}

/**
 * How many requests wait for this person's decision (the navigation's badge): pending, unexpired, not their own.
 * Zero for anyone who may not decide, without an error, so every page's layout can ask.
 */
export async function countAwaitingDecision(ctx: OrgContext, now: Date = new Date()): Promise<number> {
  if (!can(ctx, 'risk.approve')) return 0;
  const me = actorUserId(ctx);
  const db = dbFor(ctx);
  const notMine = <T extends object>(where: T, field: 'requestedById' | 'createdById') => (me ? { ...where, [field]: { not: me } } : where);
  const [acceptances, exceptions] = await Promise.all([
    db.riskAcceptance.count({ where: notMine({ status: 'PENDING' as const, expiresAt: { gt: now } }, 'requestedById') }),
    can(ctx, 'exception.manage')
      ? db.findingException.count({ where: notMine({ status: 'PENDING' as const, expiresAt: { gt: now } }, 'createdById') })
      : Promise.resolve(0),
  ]);
  return acceptances + exceptions;
}
