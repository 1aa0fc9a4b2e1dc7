import { writeAudit } from '../audit/write-audit';
import { authorize, can } from '../../platform/auth/permissions';
import { actorLabel, actorUserId, requireUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/input';
import type { Prisma } from '../../platform/db/client';
import { notifyUsers } from '../notifications/notify';
import { queueMailDeliveries, writeMail } from '../mail/send-mail';
import { appLink } from '../mail/event-mails';
import { findCampaign } from './campaigns';
import { ownAccessReason, reviewerIdentity } from './own-access';
import { describeRight, type FrozenChain } from './rights';
import { reviewPath } from './review-mail';
import { DecideItemsSchema, ItemQuerySchema, type ItemQuery } from './schemas';

export const ITEM_SELECT = {
  id: true, campaignId: true, clusterId: true, clusterName: true, snapshotId: true, subjectKind: true, subjectName: true, subjectNamespace: true,
  namespace: true, rightKey: true, verbs: true, apiGroups: true, resources: true, resourceNames: true, nonResourceURLs: true, risks: true,
  privileged: true, chain: true, isNew: true, reviewerUserId: true, reviewerTeamId: true, decision: true, reason: true, decidedById: true,
  decidedByLabel: true, decidedAt: true, revocationStatus: true, revocationDueAt: true, revocationClosedAt: true, revocationSnapshotId: true,
} as const;

function itemView<T extends { chain: Prisma.JsonValue; revocationStatus: string | null; revocationDueAt: Date | null; verbs: string[]; resources: string[]; namespace: string | null }>(item: T, now: Date) {
  return {
    ...item,
    chain: (Array.isArray(item.chain) ? item.chain : []) as FrozenChain[],
    right: describeRight(item),
    revocationOverdue: item.revocationStatus === 'open' && item.revocationDueAt !== null && item.revocationDueAt < now,
  };
}

/** A campaign's items with filters (undecided, kept, revoked, privileged, new, mine, overdue), privileged first. */
export async function listItems(ctx: OrgContext, campaignId: string, query: ItemQuery = {}, now: Date = new Date()) {
  authorize(ctx, 'access_review.read');
  const q = parseInput(ItemQuerySchema, query);
  return dbFor(ctx).$transaction(async (tx) => {
    await findCampaign(tx, campaignId);
    const userId = actorUserId(ctx);
    const teamIds = userId ? (await tx.teamMember.findMany({ where: { userId }, select: { teamId: true } })).map((t) => t.teamId) : [];
    const identity = userId ? await reviewerIdentity(tx, userId) : null;
    const manager = can(ctx, 'access_review.manage');
    const mayDecideAny = can(ctx, 'access_review.decide');
    const filter: Prisma.AccessReviewItemWhereInput =
      q.filter === 'undecided' ? { decision: null }
        : q.filter === 'kept' ? { decision: 'keep' }
          : q.filter === 'revoked' ? { decision: 'revoke' }
            : q.filter === 'privileged' ? { privileged: true }
              : q.filter === 'new' ? { isNew: true }
                : q.filter === 'overdue' ? { revocationStatus: 'open', revocationDueAt: { lt: now } }
                  : q.filter === 'mine' ? { OR: [{ reviewerUserId: userId ?? '00000000-0000-0000-0000-000000000000' }, ...(teamIds.length ? [{ reviewerTeamId: { in: teamIds } }] : [])] }
                    : {};
    const where: Prisma.AccessReviewItemWhereInput = {
      campaignId, ...filter,
      ...(q.clusterId ? { clusterId: q.clusterId } : {}),
      ...(q.reviewerUserId ? { reviewerUserId: q.reviewerUserId } : {}),
      ...(q.q ? { subjectName: { contains: q.q, mode: 'insensitive' as const } } : {}),
    };
    const [total, items] = await Promise.all([
      tx.accessReviewItem.count({ where }),
      tx.accessReviewItem.findMany({
        where, select: ITEM_SELECT, take: q.limit, skip: q.offset,
        orderBy: [{ privileged: 'desc' }, { clusterName: 'asc' }, { subjectKind: 'asc' }, { subjectName: 'asc' }, { namespace: 'asc' }, { id: 'asc' }],
      }),
    ]);
    return {
      total, limit: q.limit, offset: q.offset,
      items: items.map((item) => {
        const ownAccess = identity ? ownAccessReason(identity, item) : null;
        const assigned = manager || (userId !== null && item.reviewerUserId === userId) || (item.reviewerTeamId !== null && teamIds.includes(item.reviewerTeamId));
        // What the viewer may do with the item (the page's buttons); decideItems checks it all again.
        return { ...itemView(item, now), ownAccess, mayDecide: mayDecideAny && userId !== null && assigned && ownAccess === null };
      }),
    };
  });
}
export type ReviewItemView = Awaited<ReturnType<typeof listItems>>['items'][number];

/** Who may decide an item: its reviewer, a member of its reviewing team, or an owner or admin (who may step in). */
async function assertMayDecide(tx: TenantTx, ctx: OrgContext, userId: string, item: { reviewerUserId: string | null; reviewerTeamId: string | null }): Promise<void> {
  if (can(ctx, 'access_review.manage')) return;
  if (item.reviewerUserId === userId) return;
  if (item.reviewerTeamId && await tx.teamMember.findFirst({ where: { teamId: item.reviewerTeamId, userId }, select: { userId: true } })) return;
  throw new AppError('forbidden', 'This item is assigned to another reviewer');
}

/**
 * Keeps or revokes one or more items with one (shared) reason, in one transaction: all or nothing. Refused: a
 * completed campaign (409); an item assigned to someone else (403); the reviewer's own access (403 with why: the
 * User subject is them, or they are in the Group); keeping a privileged right without a reason (400 on `reason`).
 * A revocation becomes work for the organization's owners and admins (notified and mailed), due at the campaign's
 * due date; a later snapshot without the right closes it (revocations.ts).
 */
export async function decideItems(ctx: OrgContext, input: unknown, now: Date = new Date()) {
  authorize(ctx, 'access_review.decide');
  const userId = requireUserId(ctx, 'decide an access review item');
  const data = parseInput(DecideItemsSchema, input);
  const { decided, mailIds } = await dbFor(ctx).$transaction(async (tx) => {
    const campaign = await findCampaign(tx, data.campaignId);
    if (campaign.status !== 'active') throw new AppError('conflict', 'This access review is signed off; its decisions are final');
    const items = await tx.accessReviewItem.findMany({ where: { campaignId: data.campaignId, id: { in: data.itemIds } }, select: ITEM_SELECT });
    if (items.length !== data.itemIds.length) throw new AppError('not_found', 'Access review item not found');
    const identity = await reviewerIdentity(tx, userId);
    for (const item of items) {
      await assertMayDecide(tx, ctx, userId, item);
      const own = ownAccessReason(identity, item);
      if (own) throw new AppError('forbidden', `You cannot review your own access: ${own} (${item.clusterName}: ${describeRight(item)}). Another reviewer must decide it`);
      if (data.decision === 'keep' && item.privileged && !data.reason) {
        throw new AppError('invalid', `Keeping a privileged right needs a reason (${item.subjectKind} ${item.subjectName}: ${item.risks.join(', ')})`, [{ path: 'reason', message: 'Say why this privileged right is kept' }]);
      }
    }
    const label = actorLabel(ctx.actor);
    for (const item of items) {
      const revoke = data.decision === 'revoke';
      const keepOpenRevocation = revoke && item.decision === 'revoke' && item.revocationStatus !== null;
      await tx.accessReviewItem.update({
        where: { id: item.id },
        data: {
          decision: data.decision, reason: data.reason ?? null, decidedById: userId, decidedByLabel: label, decidedAt: now,
          ...(keepOpenRevocation ? {} : revoke ? { revocationStatus: 'open', revocationDueAt: campaign.dueAt, revocationClosedAt: null, revocationSnapshotId: null, overdueNotifiedAt: null } : { revocationStatus: null, revocationDueAt: null, revocationClosedAt: null, revocationSnapshotId: null, overdueNotifiedAt: null }),
        },
      });
      await writeAudit(tx, ctx, {
        action: revoke ? 'access_review.item_revoked' : 'access_review.item_kept', targetType: 'AccessReviewItem', targetId: item.id,
        before: item.decision ? { decision: item.decision, reason: item.reason } : undefined,
        after: { campaignId: campaign.id, cluster: item.clusterName, subject: `${item.subjectKind} ${item.subjectNamespace ? `${item.subjectNamespace}/` : ''}${item.subjectName}`, right: describeRight(item), decision: data.decision, reason: data.reason ?? null, bulk: items.length > 1 },
      });
    }
    const revoked = data.decision === 'revoke' ? items.filter((item) => item.decision !== 'revoke') : [];
    let mailIds: string[] = [];
    if (revoked.length > 0) {
      // The cluster's owners: Bulwark has no per-cluster owner, so the organization's owners and admins (the people who
      // manage clusters, cluster.manage) carry out revocations; the decider is told in the page, not notified.
      const owners = (await tx.membership.findMany({ where: { role: { in: ['OWNER', 'ADMIN'] } }, select: { userId: true } })).map((m) => m.userId).filter((id) => id !== userId);
      const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { slug: true, name: true } });
      const title = revoked.length === 1
        ? `Revoke in ${revoked[0]!.clusterName}: ${revoked[0]!.subjectKind} ${revoked[0]!.subjectName} (${describeRight(revoked[0]!)}), by ${campaign.dueAt.toISOString().slice(0, 10)}`
        : `${revoked.length} rights to revoke from access review "${campaign.name}", by ${campaign.dueAt.toISOString().slice(0, 10)}`;
      const link = `${reviewPath(org.slug, campaign.id)}?filter=revoked`;
      await notifyUsers(tx, ctx.organizationId, owners, { type: 'access_review.revocation', title, link });
      mailIds = (await writeMail(tx, ctx, {
        to: owners.map((id) => ({ userId: id })), category: 'access_review', subject: `[${org.name}] ${title}`,
        template: { heading: 'Access was revoked in a review', paragraphs: [title, 'Remove the binding or rule; the next snapshot in which the right is gone closes it. Still there after the due date, it is overdue.', ...(data.reason ? [`Reason: ${data.reason}`] : [])], action: { label: 'Open the access review', url: appLink(link) } },
      })).queued;
    }
    return { decided: items.length, mailIds };
  });
  await queueMailDeliveries(ctx.organizationId, mailIds);
  return { decided, decision: data.decision };
}
