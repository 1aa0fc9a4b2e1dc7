import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { emitDomainEvents } from '../events/emit';
import { refreshClusterScores } from '../scores/write-scores';
import { DecideRiskAcceptanceSchema, type DecideRiskAcceptanceInput } from './schemas';
import { ACTIONABLE_STATUSES, lockFindings } from './workflow';
import { parseInput } from '@/lib/platform/input';
import { requireUserId } from '@/lib/platform/auth/context';

/**
 * Approves or rejects a pending risk acceptance. Four eyes: the requester never decides their own request
 * (checked here with a clear message; a CHECK constraint refuses it in the database as well). Approval makes
 * the finding RISK_ACCEPTED, keeps a copy of the finding as it was approved, and re-scores its cluster.
 * Rejection leaves the finding's status as it is.
 */
export async function decideRiskAcceptance(ctx: OrgContext, input: DecideRiskAcceptanceInput) {
  authorize(ctx, 'risk.approve');
  const decidedById = requireUserId(ctx, 'decide a risk acceptance');
  const { riskAcceptanceId, decision, note } = parseInput(DecideRiskAcceptanceSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const request = await tx.riskAcceptance.findUnique({ where: { id: riskAcceptanceId }, select: { findingId: true } });
    if (!request) throw new AppError('not_found', 'Risk acceptance not found');
    // The finding's lock serialises two decisions on the same request; read the request again under it.
    const [finding] = await lockFindings(tx, [request.findingId]);
    const acceptance = await tx.riskAcceptance.findUniqueOrThrow({ where: { id: riskAcceptanceId } });
    if (!finding) throw new AppError('not_found', 'Finding not found');
    if (acceptance.status !== 'PENDING') throw new AppError('conflict', `This request was already ${acceptance.status.toLowerCase()}`);
    if (acceptance.requestedById === decidedById) {
      throw new AppError('forbidden', 'You requested this risk acceptance: another owner or admin must decide it');
    }
    const now = new Date();
    const decided = { decidedById, decidedAt: now, decisionNote: note ?? null };

    if (decision === 'reject') {
      const rejected = await tx.riskAcceptance.update({ where: { id: riskAcceptanceId }, data: { status: 'REJECTED', ...decided } });
      await tx.findingEvent.create({ data: { organizationId: ctx.organizationId, findingId: finding.id, type: 'risk_rejected', actorUserId: decidedById, data: { riskAcceptanceId, ...(note ? { note } : {}) } } });
      await writeAudit(tx, ctx, { action: 'risk_acceptance.rejected', targetType: 'RiskAcceptance', targetId: riskAcceptanceId, before: { status: 'PENDING' }, after: { status: 'REJECTED', note } });
      await emitDomainEvents(tx, ctx.organizationId, [{ type: 'risk.rejected', data: { riskAcceptanceId, findingId: finding.id, requestedById: acceptance.requestedById, decidedById } }]);
      return rejected;
    }

    if (!ACTIONABLE_STATUSES.includes(finding.status)) {
      throw new AppError('conflict', `The finding is ${finding.status.toLowerCase().replace('_', ' ')} now; there is nothing left to accept`);
    }
    if (acceptance.expiresAt <= now) throw new AppError('conflict', 'This request expired before it was decided; ask for a new one');
    const cluster = await tx.cluster.findUnique({ where: { id: finding.clusterId }, select: { name: true } });
    // What the approver saw, evidence included, so an auditor can tell exactly what was accepted.
    const findingAtDecision = JSON.parse(JSON.stringify({ ...finding, clusterName: cluster?.name ?? null })) as object;
    const approved = await tx.riskAcceptance.update({ where: { id: riskAcceptanceId }, data: { status: 'APPROVED', ...decided, findingAtDecision } });
    await tx.finding.update({ where: { id: finding.id }, data: { status: 'RISK_ACCEPTED' } });
    await tx.findingEvent.create({
      data: { organizationId: ctx.organizationId, findingId: finding.id, type: 'risk_approved', actorUserId: decidedById, data: { riskAcceptanceId, expiresAt: acceptance.expiresAt.toISOString(), ...(note ? { note } : {}) } },
    });
    await writeAudit(tx, ctx, {
      action: 'risk_acceptance.approved', targetType: 'RiskAcceptance', targetId: riskAcceptanceId,
      before: { status: 'PENDING', findingStatus: finding.status }, after: { status: 'APPROVED', findingStatus: 'RISK_ACCEPTED', expiresAt: acceptance.expiresAt, note },
    });
    await emitDomainEvents(tx, ctx.organizationId, [{ type: 'risk.approved', data: { riskAcceptanceId, findingId: finding.id, requestedById: acceptance.requestedById, decidedById, expiresAt: acceptance.expiresAt.toISOString() } }]);
    await refreshClusterScores(tx, ctx.organizationId, finding.clusterId, now);
    return approved;
  }, { timeout: 30_000 });
}
