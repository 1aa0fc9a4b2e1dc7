import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { notifyUsers, teamMemberIds } from '../notifications/notify';
import { mailFindingAssignment } from '../mail/event-mails';
import { queueMailDeliveries } from '../mail/send-mail';
import { AssignFindingSchema, type AssignFindingInput } from './schemas';
import { BULK_TRANSACTION, lockFindings } from './workflow';
import { checkAssignable } from './assignable';
import { parseInput } from '@/lib/platform/input';
import { findingPath, resourceLabel } from '@/lib/platform/app-links';

async function checkAssignees(tx: TenantTx, userId: string | null | undefined, teamId: string | null | undefined) {
  await checkAssignable(tx, userId, 'assigneeUserId');
  if (teamId) {
    const team = await tx.team.findUnique({ where: { id: teamId }, select: { id: true } });
    if (!team) throw new AppError('not_found', 'Team not found');
  }
}

/**
 * Sets (or clears) the assignee person and/or team of one or many findings, and tells the new assignee: the
 * person, or every member of the team. One notification (and one e-mail) per person and request, however many findings.
 */
export async function assignFindings(ctx: OrgContext, input: AssignFindingInput): Promise<{ assigned: number }> {
  authorize(ctx, 'finding.assign');
  const { findingIds, assigneeUserId, assigneeTeamId } = parseInput(AssignFindingSchema, input);
  const actor = actorUserId(ctx);
  let mailIds: string[] = [];
  const result = await dbFor(ctx).$transaction(async (tx) => {
    const findings = await lockFindings(tx, findingIds);
    await checkAssignees(tx, assigneeUserId, assigneeTeamId);
    const data = {
      ...(assigneeUserId !== undefined ? { assigneeUserId } : {}),
      ...(assigneeTeamId !== undefined ? { assigneeTeamId } : {}),
    };
    await tx.finding.updateMany({ where: { id: { in: findingIds } }, data });
    await tx.findingEvent.createMany({
      data: findings.map((finding) => ({ organizationId: ctx.organizationId, findingId: finding.id, type: 'assigned', actorUserId: actor, data })),
    });
    for (const finding of findings) {
      await writeAudit(tx, ctx, {
        action: 'finding.assigned', targetType: 'Finding', targetId: finding.id,
        before: { assigneeUserId: finding.assigneeUserId, assigneeTeamId: finding.assigneeTeamId },
        after: {
          assigneeUserId: assigneeUserId === undefined ? finding.assigneeUserId : assigneeUserId,
          assigneeTeamId: assigneeTeamId === undefined ? finding.assigneeTeamId : assigneeTeamId,
        },
      });
    }

    const recipients = new Set<string>();
    if (assigneeUserId) recipients.add(assigneeUserId);
    if (assigneeTeamId) for (const id of await teamMemberIds(tx, assigneeTeamId)) recipients.add(id);
    if (actor) recipients.delete(actor); // nobody needs to be told what they just did themselves
    const [first] = findings;
    const title = findings.length === 1 && first
      ? `Assigned to you${assigneeTeamId && !assigneeUserId ? 'r team' : ''}: ${first.controlId} on ${resourceLabel(first)}`
      : `${findings.length} findings were assigned to you${assigneeTeamId && !assigneeUserId ? 'r team' : ''}`;
    const link = findings.length === 1 && first ? findingPath(ctx.organizationSlug, first.id) : `/o/${ctx.organizationSlug}/findings?mine=true`;
    await notifyUsers(tx, ctx.organizationId, recipients, { type: 'finding.assigned', title, link });
    mailIds = await mailFindingAssignment(tx, ctx, { userIds: recipients, title, path: link });
    return { assigned: findings.length };
  }, BULK_TRANSACTION);
  await queueMailDeliveries(ctx.organizationId, mailIds);
  return result;
}
