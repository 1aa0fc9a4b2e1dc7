import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { emitDomainEvents } from '../events/emit';
import { refreshClusterScores } from '../scores/write-scores';
import { DecideExceptionSchema, type DecideExceptionInput } from './schemas';
import { ACTIONABLE_STATUSES, lockFindings } from './workflow';
import { parseInput } from '@/lib/platform/input';
import { requireUserId } from '@/lib/platform/auth/context';

/**
 * Approves or rejects a namespace- or cluster-wide exception requested with a false positive (see
 * markFalsePositive). Four eyes, as for risk acceptances: only an OWNER or ADMIN, never the requester (a CHECK
 * constraint refuses it too). Approval puts the exception in force (the next evaluation of its cluster stops
 * reporting the control in its scope) and marks the finding it came from a false positive; rejection leaves
 * the finding as it is.
 */
export async function decideException(ctx: OrgContext, input: DecideExceptionInput) {
  authorize(ctx, 'risk.approve');
  const decidedById = requireUserId(ctx, 'decide an exception request');
  const { exceptionId, decision, note } = parseInput(DecideExceptionSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const request = await tx.findingException.findUnique({ where: { id: exceptionId } });
    if (!request) throw new AppError('not_found', 'Exception request not found');
    // The finding's lock serialises two decisions on the same request, as for risk acceptances.
    const [finding] = request.findingId ? await lockFindings(tx, [request.findingId]).catch(() => []) : [];
    const current = await tx.findingException.findUniqueOrThrow({ where: { id: exceptionId } });
    if (current.status !== 'PENDING') throw new AppError('conflict', `This exception request was already ${current.status.toLowerCase()}`);
    if (current.createdById === decidedById) {
      throw new AppError('forbidden', 'You requested this exception: another owner or admin must decide it');
    }
    const now = new Date();
    if (decision === 'approve' && current.expiresAt <= now) throw new AppError('conflict', 'This exception would already have expired; ask for a new one');
    const status = decision === 'approve' ? 'APPROVED' as const : 'REJECTED' as const;
    const decided = await tx.findingException.update({ where: { id: exceptionId }, data: { status, decidedById, decidedAt: now, decisionNote: note ?? null } });
    const target = { scope: current.scope, controlId: current.controlId, clusterId: current.clusterId, namespace: current.namespace, expiresAt: current.expiresAt };
    await writeAudit(tx, ctx, {
      action: `exception.${decision === 'approve' ? 'approved' : 'rejected'}`, targetType: 'FindingException', targetId: exceptionId,
      before: { status: 'PENDING' }, after: { status, ...target, requestedById: current.createdById, note },
    });
    await emitDomainEvents(tx, ctx.organizationId, [{
      type: decision === 'approve' ? 'exception.approved' : 'exception.rejected',
      data: { exceptionId, findingId: current.findingId, requestedById: current.createdById, decidedById, scope: current.scope },
    }]);
    if (!finding) return decided;
    await tx.findingEvent.create({
      data: { organizationId: ctx.organizationId, findingId: finding.id, type: decision === 'approve' ? 'exception_approved' : 'exception_rejected', actorUserId: decidedById, data: { exceptionId, scope: current.scope, ...(note ? { note } : {}) } },
    });
    // On approval the finding it was requested from becomes the false positive its requester declared.
    if (decision === 'approve' && ACTIONABLE_STATUSES.includes(finding.status)) {
      await tx.finding.update({ where: { id: finding.id }, data: { status: 'RESOLVED', resolutionReason: 'FALSE_POSITIVE', resolvedAt: now } });
      await tx.findingEvent.create({
        data: { organizationId: ctx.organizationId, findingId: finding.id, type: 'false_positive', actorUserId: current.createdById, data: { reason: current.reason, exceptionId, scope: current.scope, expiresAt: current.expiresAt.toISOString(), approvedById: decidedById } },
      });
      await writeAudit(tx, ctx, {
        action: 'finding.false_positive', targetType: 'Finding', targetId: finding.id,
        before: { status: finding.status }, after: { status: 'RESOLVED', resolutionReason: 'FALSE_POSITIVE', reason: current.reason, exceptionId },
      });
      await emitDomainEvents(tx, ctx.organizationId, [{ type: 'finding.resolved', data: { findingId: finding.id, clusterId: finding.clusterId, severity: finding.severity, reason: 'FALSE_POSITIVE' } }]);
      await refreshClusterScores(tx, ctx.organizationId, finding.clusterId, now);
    }
    return decided;
  }, { timeout: 30_000 });
}
