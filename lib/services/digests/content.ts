import type { OrgContext } from '../../platform/auth/context';
import { actorUserId } from '../../platform/auth/context';
import { can } from '../../platform/auth/permissions';
import { dbFor } from '../../platform/db/tenant';
import { findingPath, resourceLabel } from '../../platform/app-links';
import { countAwaitingDecision } from '../findings/pending-approvals';
import type { MailSection, MailTemplate } from '../mail/types';

/** At most this many items of each kind are listed in a digest; the count above them is exact. */
export const DIGEST_TOP = 5;
const OPEN_STATUSES = ['OPEN', 'ACKNOWLEDGED'] as const;

type Item = { text: string; path: string };
type Part = { count: number; top: Item[] };
export type DigestContent = { assigned: Part; approvals: Part; expiring: Part; total: number };

/**
 * What one member's digest says, read as that member (their role decides whether approvals are theirs to see):
 * open findings assigned to them or to one of their teams, requests waiting for their decision (not their own),
 * and approved risk acceptances expiring within 7 days that they requested or whose finding is assigned to them.
 * Everything is read through dbFor(ctx): row-level security keeps it inside the member's organization.
 */
export async function digestContent(ctx: OrgContext, now: Date): Promise<DigestContent> {
  const userId = actorUserId(ctx);
  if (!userId) throw new Error('a digest is read as a member');
  const db = dbFor(ctx);
  const slug = ctx.organizationSlug;
  const teamIds = (await db.teamMember.findMany({ where: { userId }, select: { teamId: true } })).map((row) => row.teamId);
  const assignedWhere = {
    status: { in: [...OPEN_STATUSES] },
    OR: [{ assigneeUserId: userId }, ...(teamIds.length ? [{ assigneeTeamId: { in: teamIds } }] : [])],
  };
  const findingSelect = { id: true, controlId: true, severity: true, resourceKind: true, resourceNamespace: true, resourceName: true, cluster: { select: { name: true } } } as const;
  const weekAhead = new Date(now.getTime() + 7 * 86_400_000);
  const expiringWhere = {
    status: 'APPROVED' as const, expiresAt: { gt: now, lte: weekAhead },
    OR: [{ requestedById: userId }, { finding: { assigneeUserId: userId } }],
  };
  const mayDecide = can(ctx, 'risk.approve');
  const [assignedCount, assignedRows, expiringCount, expiringRows, awaiting, pendingRows] = await Promise.all([
    db.finding.count({ where: assignedWhere }),
    db.finding.findMany({ where: assignedWhere, orderBy: [{ severity: 'asc' }, { firstSeenAt: 'asc' }, { id: 'asc' }], take: DIGEST_TOP, select: findingSelect }),
    db.riskAcceptance.count({ where: expiringWhere }),
    db.riskAcceptance.findMany({ where: expiringWhere, orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }], take: DIGEST_TOP, select: { expiresAt: true, finding: { select: findingSelect } } }),
    countAwaitingDecision(ctx, now),
    mayDecide
      ? db.riskAcceptance.findMany({
        where: { status: 'PENDING', expiresAt: { gt: now }, requestedById: { not: userId } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: DIGEST_TOP, select: { finding: { select: findingSelect } },
      })
      : Promise.resolve([]),
  ]);
  const describe = (f: { controlId: string; severity: string; resourceKind: string; resourceNamespace: string | null; resourceName: string; cluster: { name: string } }) =>
    `${f.severity} ${f.controlId} on ${resourceLabel(f)} (${f.cluster.name})`;
  // Severity sorts by the enum's order in Postgres: CRITICAL first.
  const assigned = { count: assignedCount, top: assignedRows.map((f) => ({ text: describe(f), path: findingPath(slug, f.id) })) };
  const approvals = {
    count: awaiting,
    top: pendingRows.map((row) => ({ text: `Risk acceptance: ${describe(row.finding)}`, path: `/o/${slug}/approvals` })),
  };
  const expiring = {
    count: expiringCount,
    top: expiringRows.map((row) => ({ text: `${describe(row.finding)}, expires ${row.expiresAt.toISOString().slice(0, 10)}`, path: findingPath(slug, row.finding.id) })),
  };
  return { assigned, approvals, expiring, total: assigned.count + approvals.count + expiring.count };
}

/** The digest as a mail of the one template set: a section per kind that has something, each item linked. */
export function digestTemplate(content: DigestContent, options: { organizationName: string; frequency: 'daily' | 'weekly'; link: (path: string) => string; approvalsPath: string; findingsPath: string }): { subject: string; template: MailTemplate } {
  const sections: MailSection[] = [];
  const more = (part: Part, what: string) => (part.count > part.top.length ? `And ${part.count - part.top.length} more ${what}.` : undefined);
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (content.assigned.count > 0) {
    sections.push({ title: `Open findings assigned to you: ${content.assigned.count}`, items: content.assigned.top.map((i) => ({ text: i.text, url: options.link(i.path) })), more: more(content.assigned, 'in the findings list') });
  }
  if (content.approvals.count > 0) {
    const items = content.approvals.top.map((i) => ({ text: i.text, url: options.link(i.path) }));
    sections.push({ title: `Requests waiting for your approval: ${content.approvals.count}`, items: items.length ? items : [{ text: 'Open the approvals queue', url: options.link(options.approvalsPath) }], more: more(content.approvals, 'in the approvals queue') });
  }
  if (content.expiring.count > 0) {
    sections.push({ title: `Risk acceptances expiring within 7 days: ${content.expiring.count}`, items: content.expiring.top.map((i) => ({ text: i.text, url: options.link(i.path) })), more: more(content.expiring, 'expiring acceptances') });
  }
  const summary = [
    content.assigned.count ? plural(content.assigned.count, 'open finding', 'open findings') : null,
    content.approvals.count ? plural(content.approvals.count, 'approval', 'approvals') : null,
    content.expiring.count ? plural(content.expiring.count, 'expiring acceptance', 'expiring acceptances') : null,
  ].filter((part): part is string => part !== null).join(', ');
  const label = options.frequency === 'daily' ? 'daily' : 'weekly';
  return {
    subject: `[${options.organizationName}] Your ${label} digest: ${summary}`,
    template: {
      heading: `Your ${label} digest for ${options.organizationName}`,
      paragraphs: [`What waits for you in ${options.organizationName} on Bulwark.`],
      sections,
      action: content.assigned.count > 0 || content.approvals.count === 0
        ? { label: 'Open your findings', url: options.link(options.findingsPath) }
        : { label: 'Open the approvals queue', url: options.link(options.approvalsPath) },
      footnote: 'You chose this digest in your profile settings; change it or turn it off there.',
    },
  };
}
