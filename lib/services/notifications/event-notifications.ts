import type { TenantTx } from '../../platform/db/tenant';
import { approverIds, notifyUsers, resolveNotifications } from './notify';
import { findingPath, resourceLabel } from '@/lib/platform/app-links';

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
  if (type.startsWith('exception.')) return notifyForExceptionRequest(tx, organization, type, data);
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

/** The same for a namespace- or cluster-wide exception request: approvers are asked, the requester hears back. */
async function notifyForExceptionRequest(tx: TenantTx, organization: { id: string; slug: string }, type: string, data: Record<string, unknown>): Promise<number> {
  const exceptionId = typeof data.exceptionId === 'string' ? data.exceptionId : null;
  if (!exceptionId) return 0;
  const request = await tx.findingException.findUnique({ where: { id: exceptionId }, select: { createdById: true, findingId: true, controlId: true, scope: true, namespace: true } });
  if (!request?.findingId) return 0;
  const link = findingPath(organization.slug, request.findingId);
  const about = `${request.controlId} on ${request.scope === 'CLUSTER' ? 'a whole cluster' : `namespace ${request.namespace ?? '?'}`}`;
  if (type === 'exception.requested') {
    const approvers = (await approverIds(tx)).filter((userId) => userId !== request.createdById);
    return notifyUsers(tx, organization.id, approvers, { type, title: `Exception requested: ${about}`, link });
  }
  await resolveNotifications(tx, { type: 'exception.requested', link });
  const outcome = type === 'exception.approved' ? 'approved' : type === 'exception.rejected' ? 'rejected' : null;
  if (!outcome) return 0;
  return notifyUsers(tx, organization.id, [request.createdById], { type, title: `Your exception request was ${outcome}: ${about}`, link });
}
