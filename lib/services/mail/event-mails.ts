import { systemContext, type OrgContext } from '../../platform/auth/context';
import { dbFor, systemDb, type TenantTx } from '../../platform/db/tenant';
import { env } from '../../platform/env';
import { logger } from '../../platform/log';
import { findingPath, resourceLabel, ticketPath } from '../../platform/app-links';
import { approverIds } from '../notifications/notify';
import { queueMailDeliveries, writeMail } from './send-mail';

const log = logger.child({ component: 'mail' });

/** An app path as the absolute link a mail needs (APP_URL). */
export function appLink(path: string): string {
  return `${env().APP_URL.replace(/\/$/, '')}${path}`;
}

const RISK_OUTCOMES: Record<string, string> = { 'risk.approved': 'approved', 'risk.rejected': 'rejected' };

/**
 * Mails for risk acceptance events (events/reactions.ts), written in the dispatcher's transaction: a request goes
 * to every owner and admin except the requester; a decision goes to the requester (unless they decided it
 * themselves, which the database forbids anyway). Returns the messages to queue after the commit.
 */
export async function mailForRiskEvent(tx: TenantTx, ctx: OrgContext, type: string, data: Record<string, unknown>): Promise<string[]> {
  if (type !== 'risk.requested' && !(type in RISK_OUTCOMES)) return [];
  const riskAcceptanceId = typeof data.riskAcceptanceId === 'string' ? data.riskAcceptanceId : null;
  if (!riskAcceptanceId) return [];
  const acceptance = await tx.riskAcceptance.findUnique({
    where: { id: riskAcceptanceId },
    select: { requestedById: true, decidedById: true, expiresAt: true, decisionNote: true, finding: { select: { id: true, controlId: true, resourceKind: true, resourceNamespace: true, resourceName: true } } },
  });
  if (!acceptance) return [];
  const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { name: true, slug: true } });
  const about = `${acceptance.finding.controlId} on ${resourceLabel(acceptance.finding)}`;
  const action = { label: 'Open the finding', url: appLink(findingPath(org.slug, acceptance.finding.id)) };
  if (type === 'risk.requested') {
    const approvers = (await approverIds(tx)).filter((userId) => userId !== acceptance.requestedById);
    const written = await writeMail(tx, ctx, {
      to: approvers.map((userId) => ({ userId })), category: 'risk_acceptance',
      subject: `[${org.name}] Risk acceptance requested: ${about}`,
      template: {
        heading: 'A risk acceptance waits for your decision',
        paragraphs: [`Someone in ${org.name} asks to accept the risk of ${about} until ${acceptance.expiresAt.toISOString().slice(0, 10)}.`, 'An owner or admin other than the requester approves or rejects it.'],
        action,
      },
    });
    return written.queued;
  }
  if (acceptance.decidedById === acceptance.requestedById) return [];
  const outcome = RISK_OUTCOMES[type]!;
  const written = await writeMail(tx, ctx, {
    to: [{ userId: acceptance.requestedById }], category: 'risk_acceptance',
    subject: `[${org.name}] Your risk acceptance was ${outcome}: ${about}`,
    template: {
      heading: `Your risk acceptance was ${outcome}`,
      paragraphs: [`Your request to accept the risk of ${about} was ${outcome}.`, ...(acceptance.decisionNote ? [`Note: ${acceptance.decisionNote}`] : [])],
      action,
    },
  });
  return written.queued;
}

/** The mail to the people a finding (or several) was just assigned to, in the assigning transaction. */
export async function mailFindingAssignment(tx: TenantTx, ctx: OrgContext, assignment: { userIds: Iterable<string>; title: string; path: string }): Promise<string[]> {
  const to = [...assignment.userIds].map((userId) => ({ userId }));
  if (to.length === 0) return [];
  const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { name: true } });
  return (await writeMail(tx, ctx, {
    to, category: 'assignment', subject: `[${org.name}] ${assignment.title}`,
    template: { heading: assignment.title, paragraphs: [`In ${org.name} on Bulwark.`], action: { label: 'Open in Bulwark', url: appLink(assignment.path) } },
  })).queued;
}

/** The mail to a ticket's new assignee, in the transaction that assigned it. */
export async function mailTicketAssignment(tx: TenantTx, ctx: OrgContext, ticket: { assigneeUserId: string; number: number; title: string }): Promise<string[]> {
  const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { name: true, slug: true } });
  return (await writeMail(tx, ctx, {
    to: [{ userId: ticket.assigneeUserId }], category: 'ticket',
    subject: `[${org.name}] Ticket #${ticket.number} is assigned to you: ${ticket.title}`,
    template: { heading: `Ticket #${ticket.number} is assigned to you`, paragraphs: [ticket.title], action: { label: 'Open the ticket', url: appLink(ticketPath(org.slug, ticket.number)) } },
  })).queued;
}

/**
 * Hourly: the requester of every approved risk acceptance that expires within 7 days is mailed once (the
 * message's dedupe key is the acceptance), so they can renew it or fix the finding in time.
 */
export async function remindExpiringRiskAcceptances(now: Date = new Date()): Promise<number> {
  // Cross-tenant by design (as the expiry job): each reminder is then written through dbFor(its organization).
  const due = await systemDb().riskAcceptance.findMany({
    where: { status: 'APPROVED', expiresAt: { gt: now, lte: new Date(now.getTime() + 7 * 86_400_000) } },
    select: { id: true, organizationId: true },
  });
  let mailed = 0;
  for (const { id, organizationId } of due) {
    const ctx = systemContext(organizationId, 'remind-expiring-risk-acceptances');
    try {
      const queued = await dbFor(ctx).$transaction(async (tx) => {
        const acceptance = await tx.riskAcceptance.findUnique({
          where: { id }, select: { requestedById: true, expiresAt: true, finding: { select: { id: true, controlId: true, resourceKind: true, resourceNamespace: true, resourceName: true } } },
        });
        if (!acceptance) return [];
        const org = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { name: true, slug: true } });
        const about = `${acceptance.finding.controlId} on ${resourceLabel(acceptance.finding)}`;
        const days = Math.max(1, Math.ceil((acceptance.expiresAt.getTime() - now.getTime()) / 86_400_000));
        return (await writeMail(tx, ctx, {
          to: [{ userId: acceptance.requestedById }], category: 'risk_acceptance', dedupeKey: `risk-expiring:${id}`,
          subject: `[${org.name}] Risk acceptance expires in ${days} day${days === 1 ? '' : 's'}: ${about}`,
          template: {
            heading: 'A risk acceptance you requested expires soon',
            paragraphs: [`The accepted risk of ${about} expires on ${acceptance.expiresAt.toISOString().slice(0, 10)}. Then the finding opens again.`, 'Fix the finding, or request a new acceptance.'],
            action: { label: 'Open the finding', url: appLink(findingPath(org.slug, acceptance.finding.id)) },
          },
        })).queued;
      });
      await queueMailDeliveries(organizationId, queued);
      mailed += queued.length;
    } catch (error) {
      log.error({ organizationId, riskAcceptanceId: id, err: error instanceof Error ? error.message : String(error) }, 'expiry reminder failed; the next run tries again');
    }
  }
  return mailed;
}
