import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { emitDomainEvents } from '../events/emit';
import { refreshClusterScores } from '../scores/write-scores';
import { RevokeRiskAcceptanceSchema, type RevokeRiskAcceptanceInput } from './schemas';
import { lockFindings } from './workflow';
import { parseInput } from '@/lib/platform/input';
import { requireUserId } from '@/lib/platform/auth/context';

/**
 * Ends a risk acceptance early. A requester may withdraw their own pending request; revoking an approved
 * acceptance (the finding goes back to OPEN and the score drops) takes an OWNER or ADMIN.
 */
export async function revokeRiskAcceptance(ctx: OrgContext, input: RevokeRiskAcceptanceInput) {
  authorize(ctx, 'risk.request');
  const userId = requireUserId(ctx, 'revoke a risk acceptance');
  const { riskAcceptanceId, reason } = parseInput(RevokeRiskAcceptanceSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const request = await tx.riskAcceptance.findUnique({ where: { id: riskAcceptanceId }, select: { findingId: true } });
    if (!request) throw new AppError('not_found', 'Risk acceptance not found');
    const [finding] = await lockFindings(tx, [request.findingId]);
    const acceptance = await tx.riskAcceptance.findUniqueOrThrow({ where: { id: riskAcceptanceId } });
    if (!finding) throw new AppError('not_found', 'Finding not found');
    if (acceptance.status !== 'PENDING' && acceptance.status !== 'APPROVED') {
      throw new AppError('conflict', `This risk acceptance is already ${acceptance.status.toLowerCase()}`);
    }
    const ownPendingRequest = acceptance.status === 'PENDING' && acceptance.requestedById === userId;
    if (!ownPendingRequest) authorize(ctx, 'risk.approve');

    const revoked = await tx.riskAcceptance.update({ where: { id: riskAcceptanceId }, data: { status: 'REVOKED' } });
    const reopens = acceptance.status === 'APPROVED' && finding.status === 'RISK_ACCEPTED';
    if (reopens) await tx.finding.update({ where: { id: finding.id }, data: { status: 'OPEN' } });
    await tx.findingEvent.create({
      data: { organizationId: ctx.organizationId, findingId: finding.id, type: 'risk_revoked', actorUserId: userId, data: { riskAcceptanceId, ...(reason ? { reason } : {}) } },
    });
    await writeAudit(tx, ctx, {
      action: 'risk_acceptance.revoked', targetType: 'RiskAcceptance', targetId: riskAcceptanceId,
      before: { status: acceptance.status, findingStatus: finding.status }, after: { status: 'REVOKED', findingStatus: reopens ? 'OPEN' : finding.status, reason },
    });
    await emitDomainEvents(tx, ctx.organizationId, [{ type: 'risk.revoked', data: { riskAcceptanceId, findingId: finding.id, requestedById: acceptance.requestedById, revokedById: userId } }]);
    if (reopens) await refreshClusterScores(tx, ctx.organizationId, finding.clusterId, new Date());
    return revoked;
  }, { timeout: 30_000 });
}
