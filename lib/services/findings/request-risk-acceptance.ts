import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { emitDomainEvents } from '../events/emit';
import { RequestRiskAcceptanceSchema, type RequestRiskAcceptanceInput } from './schemas';
import { ACTIONABLE_STATUSES, lockFindings } from './workflow';
import { parseInput } from '@/lib/platform/input';
import { requireUserId } from '@/lib/platform/auth/context';

/**
 * Asks for a finding's risk to be accepted until `expiresAt` (at most a year). The finding keeps its status
 * until an OWNER or ADMIN other than the requester approves. One pending request per finding.
 */
export async function requestRiskAcceptance(ctx: OrgContext, input: RequestRiskAcceptanceInput) {
  authorize(ctx, 'risk.request');
  const requestedById = requireUserId(ctx, 'request a risk acceptance');
  const { findingId, justification, expiresAt } = parseInput(RequestRiskAcceptanceSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const [finding] = await lockFindings(tx, [findingId]);
    if (!finding) throw new AppError('not_found', 'Finding not found');
    if (!ACTIONABLE_STATUSES.includes(finding.status)) {
      throw new AppError('conflict', `A risk acceptance can be requested for an open or acknowledged finding; this one is ${finding.status.toLowerCase().replace('_', ' ')}`);
    }
    const pending = await tx.riskAcceptance.findFirst({ where: { findingId, status: 'PENDING' }, select: { id: true } });
    if (pending) throw new AppError('conflict', 'This finding already has a pending risk acceptance request');
    const acceptance = await tx.riskAcceptance.create({
      data: { organizationId: ctx.organizationId, findingId, requestedById, justification, expiresAt },
    });
    await tx.findingEvent.create({
      data: { organizationId: ctx.organizationId, findingId, type: 'risk_requested', actorUserId: requestedById, data: { riskAcceptanceId: acceptance.id, expiresAt: expiresAt.toISOString() } },
    });
    await writeAudit(tx, ctx, {
      action: 'risk_acceptance.requested', targetType: 'RiskAcceptance', targetId: acceptance.id,
      after: { findingId, status: 'PENDING', justification, expiresAt },
    });
    await emitDomainEvents(tx, ctx.organizationId, [{ type: 'risk.requested', data: { riskAcceptanceId: acceptance.id, findingId, requestedById, expiresAt: expiresAt.toISOString() } }]);
    return acceptance;
  });
}
