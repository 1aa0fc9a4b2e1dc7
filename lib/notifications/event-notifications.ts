import type { TenantTx } from '../db/tenant';
import { findingPath, resourceLabel } from '../findings/workflow';
import { approverIds, notifyUsers, resolveNotifications } from './notify';

const RISK_OUTCOMES: Record<string, string> = {
  'risk.approved': 'approved',
  'risk.rejected': 'rejected',
  'risk.expired': 'expired',
  'risk.revoked': 'revoked',
};

/**
 * In-app notifications for risk acceptances, from the domain event outbox: a new request goes to every OWNER
 * and ADMIN except the requester (who can't decide it); a decision, expiry or revocation goes to the requester
 * and marks the request's notifications read for every approver.
 */
export async function notifyForDomainEvent(tx: TenantTx, organization: { id: string; slug: string }, type: string, data: Record<string, unknown>): Promise<number> {
  if (type !== 'risk.requested' && !(type in RISK_OUTCOMES)) return 0;
  const riskAcceptanceId = typeof data.riskAcceptanceId === 'string' ? data.riskAcceptanceId : null;
  if (!riskAcceptanceId) return 0;
  const acceptance = await tx.riskAcceptance.findUnique({
    where: { id: riskAcceptanceId },
    select: { requestedById: true, decidedById: true, finding: { select: { id: true, controlId: true, resourceKind: true, resourceNamespace: true, resourceName: true } } },
  });
  if (!acceptance) return 0;
  const about = `${acceptance.finding.controlId} on ${resourceLabel(acceptance.finding)}`;
  const link = findingPath(organization.slug, acceptance.finding.id);

  if (type === 'risk.requested') {
    const approvers = (await approverIds(tx)).filter((userId) => userId !== acceptance.requestedById);
    return notifyUsers(tx, organization.id, approvers, { type, title: `Risk acceptance requested: ${about}`, link });
  }
  // The request is decided (or withdrawn, or gone): the approvers' "requested" notifications have nothing left to ask.
  await resolveNotifications(tx, { type: 'risk.requested', link });
  // Whoever acted knows already (withdrawing one's own request, for instance).
  const actedBy = typeof data.revokedById === 'string' ? data.revokedById : typeof data.decidedById === 'string' ? data.decidedById : null;
  if (actedBy === acceptance.requestedById) return 0;
  return notifyUsers(tx, organization.id, [acceptance.requestedById], { type, title: `Your risk acceptance was ${RISK_OUTCOMES[type]}: ${about}`, link });
}
