import { systemContext, type OrgContext } from '../../platform/auth/context';
import type { TenantTx } from '../../platform/db/tenant';
import { openTicket } from './open-ticket';
import { resourceLabel } from '@/lib/platform/app-links';

/**
 * A linked finding changed on its own (fixed, dismissed, or back after a later snapshot): say so on every
 * ticket that is not closed yet, so the people working the ticket see it without opening each finding.
 */
export async function noteFindingChangeOnTickets(tx: TenantTx, organizationId: string, findingId: string, change: 'finding_resolved' | 'finding_reopened'): Promise<number> {
  const links = await tx.ticketFinding.findMany({ where: { findingId, ticket: { status: { not: 'CLOSED' } } }, select: { ticketId: true } });
  if (links.length === 0) return 0;
  const finding = await tx.finding.findUnique({
    where: { id: findingId },
    select: { controlId: true, status: true, resolutionReason: true, resolvedAt: true, resourceKind: true, resourceNamespace: true, resourceName: true },
  });
  if (!finding) return 0;
  const data = {
    findingId, controlId: finding.controlId, resource: resourceLabel(finding),
    ...(change === 'finding_resolved' ? { resolutionReason: finding.resolutionReason, resolvedAt: finding.resolvedAt?.toISOString() ?? null } : {}),
  };
  await tx.ticketEvent.createMany({ data: links.map((link) => ({ organizationId, ticketId: link.ticketId, type: change, data })) });
  return links.length;
}

/**
 * With the organization's `autoTicketCritical` on, a new critical finding opens a SEV1 ticket by itself
 * (unless an open ticket already tracks it). Runs in the dispatcher, as the system.
 */
export async function openTicketForCriticalFinding(tx: TenantTx, ctx: OrgContext, findingId: string) {
  const org = await tx.organization.findUnique({ where: { id: ctx.organizationId }, select: { autoTicketCritical: true } });
  if (!org?.autoTicketCritical) return null;
  const finding = await tx.finding.findUnique({ where: { id: findingId } });
  if (!finding || finding.severity !== 'CRITICAL' || finding.status !== 'OPEN') return null;
  const tracked = await tx.ticketFinding.count({ where: { findingId, ticket: { status: { not: 'CLOSED' } } } });
  if (tracked > 0) return null;
  const cluster = await tx.cluster.findUnique({ where: { id: finding.clusterId }, select: { name: true } });
  const systemCtx = ctx.actor.kind === 'system' ? ctx : systemContext(ctx.organizationId, 'auto-ticket', ctx.organizationSlug);
  return openTicket(tx, systemCtx, {
    title: `Critical: ${finding.controlId} on ${resourceLabel(finding)}${cluster ? ` (${cluster.name})` : ''}`.slice(0, 200),
    description: `Opened automatically for a new critical finding.\n\n${finding.message}`,
    severity: 'SEV1',
    assigneeUserId: finding.assigneeUserId,
    dueAt: finding.dueAt,
    findingIds: [finding.id],
  });
}
