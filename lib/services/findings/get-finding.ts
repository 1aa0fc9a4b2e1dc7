import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { effectiveLastSeen } from './last-seen';
import { isUuid } from '@/lib/platform/input';
import { usersById, type UserRef } from './user-refs';
import { findFramework, frameworkTitle, type FrameworkId } from '../../analysis/frameworks';
import { isCisFrameworkId } from '../../analysis/frameworks/cis-versions';
import { getCisBenchmark } from '../orgs/settings';
import { customControlLabels, evidenceControlVersion } from '../policies/control-labels';
import { importedControlOf } from './finding-source';
import { admissionControlOf } from './admission-finding';

export type { UserRef };

export type TimelineEntry =
  | { kind: 'event'; id: string; at: Date; type: string; data: unknown; actor: UserRef | null; snapshotId: string | null }
  | { kind: 'comment'; id: string; at: Date; body: string; actor: UserRef | null };

const TIMELINE_LIMIT = 500;


/**
 * One finding as its page shows it: the finding with its control (texts and framework mappings), cluster,
 * the same problem on other clusters (one finding per cluster), the control's other findings on the same resource, one timeline of events and comments (oldest first), risk acceptances
 * and linked tickets.
 */
export async function getFinding(ctx: OrgContext, findingId: string) {
  authorize(ctx, 'finding.read');
  if (!isUuid(findingId)) throw new AppError('not_found', 'Finding not found');
  const db = dbFor(ctx);
  const finding = await db.finding.findUnique({
    where: { id: findingId },
    include: { cluster: { select: { id: true, name: true, lastEvaluatedAt: true } }, assigneeTeam: { select: { id: true, name: true } } },
  });
  if (!finding) throw new AppError('not_found', 'Finding not found');

  // CIS badges are the organization's benchmark version only (item ids differ between versions), named with it.
  const cis = await getCisBenchmark(ctx);
  const [catalogControl, mappings, otherClusters, sameResource, events, comments, riskAcceptances, tickets, exceptionRequests] = await Promise.all([
    db.control.findUnique({ where: { id: finding.controlId }, select: { id: true, title: true, description: true, rationale: true, remediation: true, severity: true } }),
    db.controlRequirement.findMany({
      where: { controlId: finding.controlId },
      select: { requirement: { select: { id: true, code: true, title: true, frameworkId: true, sortOrder: true, framework: { select: { name: true } } } } },
    }),
    // The same problem is the same fingerprint (control, resource and offending item: which subject, which verb),
    // so each other cluster appears once; matching on the resource alone listed a cluster once per item.
    db.finding.findMany({
      where: { fingerprint: finding.fingerprint, controlId: finding.controlId, clusterId: { not: finding.clusterId } },
      select: { id: true, status: true, severity: true, lastSeenAt: true, cluster: { select: { id: true, name: true, lastEvaluatedAt: true } } },
      orderBy: [{ cluster: { name: 'asc' } }, { id: 'asc' }],
      take: 50,
    }),
    // Other problems the same control found on the same resource here (a binding that grants escalate and also
    // impersonate): listed so two findings with one title read as the two things they are.
    db.finding.findMany({
      where: {
        clusterId: finding.clusterId, controlId: finding.controlId, resourceKind: finding.resourceKind,
        resourceNamespace: finding.resourceNamespace, resourceName: finding.resourceName, id: { not: finding.id },
      },
      select: { id: true, status: true, severity: true, message: true },
      orderBy: { id: 'asc' },
      take: 20,
    }),
    db.findingEvent.findMany({ where: { findingId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: TIMELINE_LIMIT }),
    db.comment.findMany({ where: { findingId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: TIMELINE_LIMIT }),
    db.riskAcceptance.findMany({ where: { findingId }, orderBy: { createdAt: 'desc' } }),
    db.ticketFinding.findMany({
      where: { findingId },
      select: { createdAt: true, ticket: { select: { id: true, number: true, title: true, status: true, severity: true } } },
      orderBy: { createdAt: 'asc' },
    }),
    // Namespace- and cluster-wide exceptions requested from this finding, decided here like risk acceptances.
    db.findingException.findMany({ where: { findingId, scope: { not: 'RESOURCE' } }, orderBy: { createdAt: 'desc' } }),
  ]);

  const users = await usersById(db, [
    finding.assigneeUserId, finding.acknowledgedById,
    ...events.map((event) => event.actorUserId), ...comments.map((comment) => comment.authorId),
    ...riskAcceptances.flatMap((acceptance) => [acceptance.requestedById, acceptance.decidedById]),
    ...exceptionRequests.flatMap((request) => [request.createdById, request.decidedById]),
  ]);
  const user = (id: string | null) => (id ? (users.get(id) ?? null) : null);
  // An organization's own control (custom.<key>) is not in the catalog: its texts come from the version that
  // produced the finding (recorded in the evidence), its title from the control.
  const custom = catalogControl ? null : await customControlFor(db, finding.controlId, finding.evidence);
  // A result imported from a PolicyReport (issue 23) is named and explained by the engine that reported it.
  // A finding of the cluster's own ValidatingAdmissionPolicy (issue 23) is named and explained by its evidence.
  const control = catalogControl ?? custom?.control ?? importedControlOf(finding) ?? admissionControlOf(finding) ?? null;

  const timeline: TimelineEntry[] = [
    ...events.map((event): TimelineEntry => ({ kind: 'event', id: event.id, at: event.createdAt, type: event.type, data: event.data, actor: user(event.actorUserId), snapshotId: event.snapshotId })),
    ...comments.map((comment): TimelineEntry => ({ kind: 'comment', id: comment.id, at: comment.createdAt, body: comment.body, actor: user(comment.authorId) })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.kind === b.kind ? a.id.localeCompare(b.id) : a.kind === 'event' ? -1 : 1));

  return {
    finding: { ...finding, lastSeenAt: effectiveLastSeen(finding, finding.cluster.lastEvaluatedAt), assigneeUser: user(finding.assigneeUserId), acknowledgedBy: user(finding.acknowledgedById) },
    control,
    /** Set for an organization's own control: which one, the version that produced the finding, the current one. */
    custom: custom?.custom ?? null,
    cis,
    mappings: mappings
      .filter(({ requirement }) => !isCisFrameworkId(requirement.frameworkId) || requirement.frameworkId === cis.frameworkId)
      .map(({ requirement }) => ({
        requirementId: requirement.id, frameworkId: requirement.frameworkId,
        frameworkName: findFramework(requirement.frameworkId as FrameworkId) ? frameworkTitle(requirement.frameworkId as FrameworkId) : requirement.framework.name,
        frameworkVersion: findFramework(requirement.frameworkId as FrameworkId)?.version ?? null,
        code: requirement.code, title: requirement.title, sortOrder: requirement.sortOrder,
      }))
      .sort((a, b) => a.frameworkId.localeCompare(b.frameworkId) || a.sortOrder - b.sortOrder),
    sameResource,
    otherClusters: otherClusters.map((other) => ({ findingId: other.id, clusterId: other.cluster.id, clusterName: other.cluster.name, status: other.status, severity: other.severity, lastSeenAt: effectiveLastSeen(other, other.cluster.lastEvaluatedAt) })),
    timeline,
    riskAcceptances: riskAcceptances.map((acceptance) => ({ ...acceptance, requestedBy: user(acceptance.requestedById), decidedBy: user(acceptance.decidedById) })),
    tickets: tickets.map((link) => ({ ...link.ticket, linkedAt: link.createdAt })),
    exceptionRequests: exceptionRequests.map((request) => ({ ...request, requestedBy: user(request.createdById), decidedBy: user(request.decidedById) })),
  };
}

async function customControlFor(db: ReturnType<typeof dbFor>, controlId: string, evidence: unknown) {
  const label = (await customControlLabels(db, [controlId])).get(controlId);
  if (!label) return null;
  const version = evidenceControlVersion(evidence) ?? label.currentVersion;
  const texts = await db.customControlVersion.findFirst({ where: { customControlId: label.customControlId, version }, select: { rationale: true, remediation: true, severity: true } });
  return {
    control: { id: controlId, title: label.title, description: '', rationale: texts?.rationale ?? '', remediation: texts?.remediation ?? '', severity: texts?.severity ?? 'LOW' },
    custom: { customControlId: label.customControlId, version, currentVersion: label.currentVersion, enabled: label.enabled },
  };
}
