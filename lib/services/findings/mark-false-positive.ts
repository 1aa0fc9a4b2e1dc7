import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import type { ExceptionScope } from '../../platform/db/client';
import { writeAudit } from '../audit/write-audit';
import { emitDomainEvents } from '../events/emit';
import { refreshClusterScores } from '../scores/write-scores';
import { MarkFalsePositiveSchema, type MarkFalsePositiveInput } from './schemas';
import { ACTIONABLE_STATUSES, lockFindings } from './workflow';
import { parseInput } from '@/lib/platform/input';
import { requireUserId } from '@/lib/platform/auth/context';

type ScopedFinding = { controlId: string; clusterId: string; resourceNamespace: string | null; resourceKind: string; resourceName: string };

/** The exception's match fields for a scope, taken from the finding (see lib/services/pipeline/exceptions.ts). */
function exceptionTarget(finding: ScopedFinding, scope: ExceptionScope) {
  if (scope === 'NAMESPACE' && !finding.resourceNamespace) {
    throw new AppError('invalid', 'This resource is not namespaced; choose the resource or the cluster', [{ path: 'exception.scope', message: 'the resource has no namespace' }]);
  }
  return {
    controlId: finding.controlId,
    clusterId: finding.clusterId,
    namespace: scope === 'CLUSTER' ? null : finding.resourceNamespace,
    resourceKind: scope === 'RESOURCE' ? finding.resourceKind : null,
    resourceName: scope === 'RESOURCE' ? finding.resourceName : null,
  };
}

/**
 * Dismisses a finding as a false positive (RESOLVED, FALSE_POSITIVE; the pipeline never reopens it), and
 * optionally creates a scoped exception so the same control stops reporting on this resource, namespace or
 * cluster until the exception expires. A risk-accepted finding must have its acceptance revoked first.
 *
 * Four eyes: an exception for a namespace or a whole cluster silences a control for resources nobody looked
 * at, so it is only a request (PENDING) until an OWNER or ADMIN other than its creator approves it
 * (decideException); until then it suppresses nothing and the finding stays as it is. A false positive on
 * this one resource (with or without a resource exception) takes effect at once, audited.
 */
export async function markFalsePositive(ctx: OrgContext, input: MarkFalsePositiveInput) {
  authorize(ctx, 'finding.false_positive');
  const { findingId, reason, exception } = parseInput(MarkFalsePositiveSchema, input);
  if (exception) authorize(ctx, 'exception.manage');
  const userId = requireUserId(ctx, 'mark a false positive');
  return dbFor(ctx).$transaction(async (tx) => {
    const [finding] = await lockFindings(tx, [findingId]);
    if (!finding) throw new AppError('not_found', 'Finding not found');
    if (!ACTIONABLE_STATUSES.includes(finding.status)) {
      throw new AppError('conflict', finding.status === 'RISK_ACCEPTED'
        ? 'This finding is risk-accepted; revoke the acceptance before dismissing it'
        : 'This finding is already resolved');
    }
    if (exception && exception.scope !== 'RESOURCE') {
      const pending = await tx.findingException.findFirst({ where: { findingId, status: 'PENDING' }, select: { id: true } });
      if (pending) throw new AppError('conflict', 'This finding already has an exception request waiting for approval', [{ path: 'exception', message: 'a request is pending' }]);
      const requested = await tx.findingException.create({
        data: { organizationId: ctx.organizationId, scope: exception.scope, ...exceptionTarget(finding, exception.scope), reason, createdById: userId, expiresAt: exception.expiresAt, status: 'PENDING', findingId },
      });
      await tx.findingEvent.create({
        data: { organizationId: ctx.organizationId, findingId, type: 'exception_requested', actorUserId: userId, data: { reason, exceptionId: requested.id, scope: requested.scope, expiresAt: requested.expiresAt.toISOString() } },
      });
      await writeAudit(tx, ctx, {
        action: 'exception.requested', targetType: 'FindingException', targetId: requested.id,
        after: { findingId, status: 'PENDING', scope: requested.scope, controlId: requested.controlId, clusterId: requested.clusterId, namespace: requested.namespace, expiresAt: requested.expiresAt, reason },
      });
      await emitDomainEvents(tx, ctx.organizationId, [{ type: 'exception.requested', data: { exceptionId: requested.id, findingId, requestedById: userId, scope: requested.scope, expiresAt: requested.expiresAt.toISOString() } }]);
      return { finding: { id: findingId, status: finding.status, resolutionReason: finding.resolutionReason }, exception: requested, pendingApproval: true as const };
    }
    const now = new Date();
    const created = exception
      ? await tx.findingException.create({
        data: { organizationId: ctx.organizationId, scope: exception.scope, ...exceptionTarget(finding, exception.scope), reason, createdById: userId, expiresAt: exception.expiresAt, findingId },
      })
      : null;
    await tx.finding.update({ where: { id: findingId }, data: { status: 'RESOLVED', resolutionReason: 'FALSE_POSITIVE', resolvedAt: now } });
    await tx.findingEvent.create({
      data: { organizationId: ctx.organizationId, findingId, type: 'false_positive', actorUserId: userId, data: { reason, ...(created ? { exceptionId: created.id, scope: created.scope, expiresAt: created.expiresAt.toISOString() } : {}) } },
    });
    await writeAudit(tx, ctx, {
      action: 'finding.false_positive', targetType: 'Finding', targetId: findingId,
      before: { status: finding.status }, after: { status: 'RESOLVED', resolutionReason: 'FALSE_POSITIVE', reason },
    });
    if (created) {
      await writeAudit(tx, ctx, {
        action: 'exception.created', targetType: 'FindingException', targetId: created.id,
        after: { findingId, scope: created.scope, controlId: created.controlId, clusterId: created.clusterId, namespace: created.namespace, resourceKind: created.resourceKind, resourceName: created.resourceName, expiresAt: created.expiresAt, reason },
      });
    }
    await emitDomainEvents(tx, ctx.organizationId, [{ type: 'finding.resolved', data: { findingId, clusterId: finding.clusterId, severity: finding.severity, reason: 'FALSE_POSITIVE' } }]);
    await refreshClusterScores(tx, ctx.organizationId, finding.clusterId, now);
    return { finding: { id: findingId, status: 'RESOLVED' as const, resolutionReason: 'FALSE_POSITIVE' as const }, exception: created, pendingApproval: false as const };
  }, { timeout: 30_000 });
}
