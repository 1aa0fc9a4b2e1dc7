import { gunzipSync } from 'node:zlib';
import type { Snapshot } from '../../analysis/snapshot/schema';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { dbFor, systemDb, type TenantTx } from '../../platform/db/tenant';
import { logger } from '../../platform/log';
import { writeAudit } from '../audit/write-audit';
import { notifyUsers } from '../notifications/notify';
import { queueMailDeliveries } from '../mail/send-mail';
import { effectivePermissions, stillGranted } from './rights';
import { mailReviewers, reviewPath } from './review-mail';
import { nextQuarterStart, reviewerUserIds, startInTx, successorDue } from './campaigns';

const log = logger.child({ component: 'access-reviews' });
const DAY_MS = 86_400_000;

async function snapshotBody(tx: TenantTx, snapshotId: string): Promise<Snapshot | null> {
  const row = await tx.snapshot.findUnique({ where: { id: snapshotId }, omit: { body: false } });
  let body = row?.body ?? null;
  if (!body && row?.baseSnapshotId) body = (await tx.snapshot.findUnique({ where: { id: row.baseSnapshotId }, omit: { body: false } }))?.body ?? null;
  return body ? (JSON.parse(gunzipSync(body).toString('utf8')) as Snapshot) : null;
}

/**
 * The reaction to `evaluation.completed` (events/reactions.ts), in the dispatcher's transaction: every open
 * revocation of the cluster whose right the evaluated snapshot no longer grants (by Kubernetes' matching, so the
 * same right through another binding still counts) is done, with the snapshot that shows it. Audited.
 */
export async function closeRevocationsGone(tx: TenantTx, ctx: OrgContext, evaluated: { clusterId: string; snapshotId: string }, now: Date = new Date()): Promise<number> {
  const open = await tx.accessReviewItem.findMany({
    where: { clusterId: evaluated.clusterId, revocationStatus: 'open' },
    select: { id: true, campaignId: true, clusterName: true, subjectKind: true, subjectName: true, subjectNamespace: true, namespace: true, verbs: true, apiGroups: true, resources: true, nonResourceURLs: true, rightKey: true, decidedById: true },
  });
  if (open.length === 0) return 0;
  const snapshot = await snapshotBody(tx, evaluated.snapshotId);
  if (!snapshot) return 0;
  const grants = effectivePermissions(snapshot);
  let closed = 0;
  for (const item of open) {
    if (stillGranted(item, grants)) continue;
    const updated = await tx.accessReviewItem.updateMany({ where: { id: item.id, revocationStatus: 'open' }, data: { revocationStatus: 'done', revocationClosedAt: now, revocationSnapshotId: evaluated.snapshotId } });
    if (updated.count === 0) continue;
    closed += 1;
    await writeAudit(tx, ctx, { action: 'access_review.revocation_carried_out', targetType: 'AccessReviewItem', targetId: item.id, after: { campaignId: item.campaignId, cluster: item.clusterName, subject: `${item.subjectKind} ${item.subjectName}`, snapshotId: evaluated.snapshotId } });
    if (item.decidedById) {
      const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { slug: true } });
      await notifyUsers(tx, ctx.organizationId, [item.decidedById], { type: 'access_review.revocation_done', title: `Revoked access is gone from ${item.clusterName}: ${item.subjectKind} ${item.subjectName}`, link: reviewPath(org.slug, item.campaignId) });
    }
  }
  return closed;
}

/**
 * Hourly (maintenance): reminds reviewers of active campaigns due within 7 days or past due (at most once a day, in
 * the app and by mail), tells owners and admins once of each revocation still present after its due date (overdue),
 * and starts the successor of a quarterly campaign a quarter after it started.
 */
export async function runAccessReviewMaintenance(now: Date = new Date()): Promise<{ reminded: number; overdue: number; started: number }> {
  let reminded = 0;
  let overdue = 0;
  let started = 0;
  // Cross-tenant by design (as the other maintenance jobs): each campaign is then handled through dbFor(its organization).
  const due = await systemDb().accessReviewCampaign.findMany({
    where: { status: 'active', dueAt: { lte: new Date(now.getTime() + 7 * DAY_MS) }, OR: [{ remindedAt: null }, { remindedAt: { lt: new Date(now.getTime() - DAY_MS) } }] },
    select: { id: true, organizationId: true },
  });
  for (const { id, organizationId } of due) {
    const ctx = systemContext(organizationId, 'access-review-reminders');
    try {
      const mailIds = await dbFor(ctx).$transaction(async (tx) => {
        const campaign = await tx.accessReviewCampaign.findUniqueOrThrow({ where: { id }, select: { id: true, name: true, dueAt: true } });
        await tx.accessReviewCampaign.update({ where: { id }, data: { remindedAt: now } });
        const org = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { slug: true } });
        const ids: string[] = [];
        for (const userId of await reviewerUserIds(tx, id)) {
          const teams = (await tx.teamMember.findMany({ where: { userId }, select: { teamId: true } })).map((t) => t.teamId);
          const undecided = await tx.accessReviewItem.count({ where: { campaignId: id, decision: null, OR: [{ reviewerUserId: userId }, ...(teams.length ? [{ reviewerTeamId: { in: teams } }] : [])] } });
          if (undecided === 0) continue;
          await notifyUsers(tx, organizationId, [userId], { type: 'access_review.due', title: `Access review "${campaign.name}" ${campaign.dueAt < now ? 'is past due' : 'is due'} ${campaign.dueAt.toISOString().slice(0, 10)}: ${undecided} item${undecided === 1 ? '' : 's'} wait for you`, link: reviewPath(org.slug, id) });
          ids.push(...await mailReviewers(tx, ctx, campaign, [userId], 'due', now, { undecided }));
          reminded += 1;
        }
        return ids;
      });
      await queueMailDeliveries(organizationId, mailIds);
    } catch (error) {
      log.error({ organizationId, campaignId: id, err: error instanceof Error ? error.message : String(error) }, 'access review reminder failed; the next run tries again');
    }
  }

  const late = await systemDb().accessReviewItem.findMany({
    where: { revocationStatus: 'open', revocationDueAt: { lt: now }, overdueNotifiedAt: null }, select: { organizationId: true, campaignId: true }, distinct: ['campaignId'],
  });
  for (const { organizationId, campaignId } of late) {
    const ctx = systemContext(organizationId, 'access-review-overdue');
    try {
      const mailIds = await dbFor(ctx).$transaction(async (tx) => {
        const items = await tx.accessReviewItem.updateMany({ where: { campaignId, revocationStatus: 'open', revocationDueAt: { lt: now }, overdueNotifiedAt: null }, data: { overdueNotifiedAt: now } });
        if (items.count === 0) return [];
        overdue += items.count;
        const campaign = await tx.accessReviewCampaign.findUniqueOrThrow({ where: { id: campaignId }, select: { id: true, name: true, dueAt: true } });
        const org = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { slug: true } });
        const owners = (await tx.membership.findMany({ where: { role: { in: ['OWNER', 'ADMIN'] } }, select: { userId: true } })).map((m) => m.userId);
        await notifyUsers(tx, organizationId, owners, { type: 'access_review.revocation_overdue', title: `${items.count} revoked right${items.count === 1 ? ' is' : 's are'} still present after the due date ("${campaign.name}")`, link: `${reviewPath(org.slug, campaignId)}?filter=overdue` });
        await writeAudit(tx, ctx, { action: 'access_review.revocations_overdue', targetType: 'AccessReviewCampaign', targetId: campaignId, after: { overdue: items.count } });
        return mailReviewers(tx, ctx, campaign, owners, 'revocation_overdue', now, { overdueRevocations: items.count });
      });
      await queueMailDeliveries(organizationId, mailIds);
    } catch (error) {
      log.error({ organizationId, campaignId, err: error instanceof Error ? error.message : String(error) }, 'overdue revocation notice failed; the next run tries again');
    }
  }

  const recurring = await systemDb().accessReviewCampaign.findMany({ where: { recurrence: 'quarterly', nextCampaignId: null }, select: { id: true, organizationId: true, createdAt: true } });
  for (const { id, organizationId, createdAt } of recurring) {
    if (nextQuarterStart(createdAt) > now) continue;
    const ctx = systemContext(organizationId, 'access-review-recurrence');
    try {
      const mailIds = await dbFor(ctx).$transaction(async (tx) => {
        const original = await tx.accessReviewCampaign.findUniqueOrThrow({ where: { id } });
        if (original.nextCampaignId) return [];
        const quarter = `Q${Math.floor(now.getUTCMonth() / 3) + 1} ${now.getUTCFullYear()}`;
        const { campaign, mailIds } = await startInTx(tx, ctx, {
          name: `${original.name.replace(/ \(Q[1-4] \d{4}\)$/, '')} (${quarter})`.slice(0, 200), clusterIds: original.clusterIds, scope: original.scope === 'all' ? 'all' : 'privileged',
          reviewerMode: original.reviewerMode === 'team' ? 'team' : original.reviewerMode === 'namespace' ? 'namespace' : 'person',
          reviewerUserId: original.reviewerUserId ?? undefined, reviewerTeamId: original.reviewerTeamId ?? undefined,
          namespaceReviewers: Object.entries((original.namespaceReviewers ?? {}) as Record<string, string>).map(([namespace, userId]) => ({ namespace, userId })),
          dueAt: successorDue(original, now), recurrence: 'quarterly',
        }, now);
        await tx.accessReviewCampaign.update({ where: { id }, data: { nextCampaignId: campaign.id } });
        return mailIds;
      }, { timeout: 120_000, maxWait: 30_000 });
      started += 1;
      await queueMailDeliveries(organizationId, mailIds);
    } catch (error) {
      log.error({ organizationId, campaignId: id, err: error instanceof Error ? error.message : String(error) }, 'starting the next quarterly access review failed; the next run tries again');
    }
  }
  return { reminded, overdue, started };
}
