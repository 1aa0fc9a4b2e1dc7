import { gunzipSync } from 'node:zlib';
import type { Snapshot } from '../../analysis/snapshot/schema';
import { writeAudit } from '../audit/write-audit';
import { authorize } from '../../platform/auth/permissions';
import { actorLabel, actorUserId, requireUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { AppError, type ErrorIssue } from '../../platform/errors';
import { isUuid, parseInput } from '../../platform/input';
import { notifyUsers } from '../notifications/notify';
import { queueMailDeliveries } from '../mail/send-mail';
import { rightsOf, type RightDraft } from './rights';
import { MAX_CAMPAIGN_ITEMS, SignOffSchema, StartCampaignSchema, type ReviewScope } from './schemas';
import { mailReviewers, reviewPath } from './review-mail';

const DAY_MS = 86_400_000;
const INSERT_CHUNK = 1000;

export const CAMPAIGN_SELECT = {
  id: true, name: true, clusterIds: true, scope: true, reviewerMode: true, reviewerUserId: true, reviewerTeamId: true, namespaceReviewers: true,
  dueAt: true, recurrence: true, status: true, previousCampaignId: true, createdById: true, createdByLabel: true, createdAt: true,
  completedAt: true, completedById: true, completedByLabel: true, summary: true, nextCampaignId: true,
} as const;

/** The body of the snapshot a cluster's current evaluation read (an "unchanged" notice reuses its base's body). */
async function loadEvaluatedSnapshot(tx: TenantTx, cluster: { id: string; name: string; currentEvaluationId: string | null }): Promise<{ snapshotId: string; snapshot: Snapshot }> {
  if (!cluster.currentEvaluationId) {
    throw new AppError('invalid', `Cluster "${cluster.name}" has no evaluated snapshot yet: install the agent and wait for its first snapshot`, [{ path: 'clusterIds', message: `${cluster.name} has no evaluated snapshot yet` }]);
  }
  const evaluation = await tx.evaluationRun.findUniqueOrThrow({ where: { id: cluster.currentEvaluationId }, select: { snapshotId: true } });
  const row = await tx.snapshot.findUniqueOrThrow({ where: { id: evaluation.snapshotId }, omit: { body: false } });
  let body = row.body;
  if (!body && row.baseSnapshotId) body = (await tx.snapshot.findUnique({ where: { id: row.baseSnapshotId }, omit: { body: false } }))?.body ?? null;
  if (!body) {
    throw new AppError('invalid', `Cluster "${cluster.name}": the contents of its latest snapshot were pruned by retention; wait for the agent's next snapshot`, [{ path: 'clusterIds', message: `${cluster.name} has no snapshot contents to review` }]);
  }
  // Validated at intake and stored by us (as pipeline/evaluate-stored-snapshot.ts reads it).
  return { snapshotId: row.id, snapshot: JSON.parse(gunzipSync(body).toString('utf8')) as Snapshot };
}

type Reviewers = { mode: 'person' | 'team' | 'namespace'; userId?: string; teamId?: string; byNamespace: Map<string, string> };

function reviewerFor(reviewers: Reviewers, right: RightDraft): { reviewerUserId: string | null; reviewerTeamId: string | null } {
  if (reviewers.mode === 'team') return { reviewerUserId: null, reviewerTeamId: reviewers.teamId ?? null };
  const byNamespace = right.namespace ? reviewers.byNamespace.get(right.namespace) : undefined;
  return { reviewerUserId: byNamespace ?? reviewers.userId ?? null, reviewerTeamId: null };
}

/** Reviewers must be members who may decide (owners, admins, members); a team must exist. 400 naming the field. */
async function checkReviewers(tx: TenantTx, userIds: { path: string; id: string }[], teamId: string | undefined): Promise<void> {
  const issues: ErrorIssue[] = [];
  if (userIds.length > 0) {
    const members = await tx.membership.findMany({ where: { userId: { in: userIds.map((u) => u.id) }, role: { in: ['OWNER', 'ADMIN', 'MEMBER'] } }, select: { userId: true } });
    const allowed = new Set(members.map((m) => m.userId));
    for (const { path, id } of userIds) if (!allowed.has(id)) issues.push({ path, message: 'is not an owner, admin or member of this organization' });
  }
  if (teamId && !(await tx.team.findUnique({ where: { id: teamId }, select: { id: true } }))) issues.push({ path: 'reviewerTeamId', message: 'no such team' });
  if (issues.length > 0) throw new AppError('invalid', 'Some reviewers cannot review', issues);
}

/**
 * Starts a campaign: in one transaction, freezes every (cluster, subject, right) of each cluster's latest evaluated
 * snapshot in scope (privileged rights by the RBAC risk vocabulary, or all), assigns each to its reviewer, marks the
 * ones not in the last completed campaign as new, notifies and mails the reviewers. A cluster without an evaluated
 * snapshot is refused by name (400), and nothing is written.
 */
export async function startCampaign(ctx: OrgContext, input: unknown, now: Date = new Date()) {
  authorize(ctx, 'access_review.manage');
  const data = parseInput(StartCampaignSchema, input);
  const { campaign, mailIds } = await dbFor(ctx).$transaction(async (tx) => startInTx(tx, ctx, {
    name: data.name, clusterIds: data.clusterIds, scope: data.scope, reviewerMode: data.reviewerMode, reviewerUserId: data.reviewerUserId,
    reviewerTeamId: data.reviewerTeamId, namespaceReviewers: data.namespaceReviewers, dueAt: data.dueAt, recurrence: data.recurrence,
  }, now), { timeout: 120_000, maxWait: 30_000 });
  await queueMailDeliveries(ctx.organizationId, mailIds);
  return campaign;
}

type CampaignSpec = {
  name: string; clusterIds: string[]; scope: ReviewScope; reviewerMode: Reviewers['mode']; reviewerUserId?: string | undefined; reviewerTeamId?: string | undefined;
  namespaceReviewers: { namespace: string; userId: string }[]; dueAt: Date; recurrence: 'none' | 'quarterly';
};

/** The transaction of startCampaign, shared with the quarterly recurrence (maintenance). */
export async function startInTx(tx: TenantTx, ctx: OrgContext, spec: CampaignSpec, now: Date) {
  const clusters = await tx.cluster.findMany({ where: { id: { in: spec.clusterIds }, archivedAt: null }, select: { id: true, name: true, currentEvaluationId: true } });
  if (clusters.length !== spec.clusterIds.length) throw new AppError('not_found', 'Cluster not found');
  await checkReviewers(tx, [
    ...(spec.reviewerUserId && spec.reviewerMode !== 'team' ? [{ path: 'reviewerUserId', id: spec.reviewerUserId }] : []),
    ...(spec.reviewerMode === 'namespace' ? spec.namespaceReviewers.map((r, i) => ({ path: `namespaceReviewers.${i}.userId`, id: r.userId })) : []),
  ], spec.reviewerMode === 'team' ? spec.reviewerTeamId : undefined);
  const reviewers: Reviewers = {
    mode: spec.reviewerMode, userId: spec.reviewerUserId, teamId: spec.reviewerTeamId,
    byNamespace: new Map(spec.reviewerMode === 'namespace' ? spec.namespaceReviewers.map((r) => [r.namespace, r.userId]) : []),
  };
  const previous = await tx.accessReviewCampaign.findFirst({ where: { status: 'completed' }, orderBy: { completedAt: 'desc' }, select: { id: true } });
  const previousKeys = new Set(previous
    ? (await tx.accessReviewItem.findMany({ where: { campaignId: previous.id }, select: { clusterId: true, rightKey: true } })).map((i) => `${i.clusterId}\u0000${i.rightKey}`)
    : []);

  const frozen: { cluster: { id: string; name: string }; snapshotId: string; rights: RightDraft[] }[] = [];
  let total = 0;
  for (const cluster of [...clusters].sort((a, b) => a.name.localeCompare(b.name))) {
    const { snapshotId, snapshot } = await loadEvaluatedSnapshot(tx, cluster);
    const rights = rightsOf(snapshot, spec.scope);
    total += rights.length;
    frozen.push({ cluster, snapshotId, rights });
  }
  if (total > MAX_CAMPAIGN_ITEMS) {
    throw new AppError('invalid', `This scope has ${total} rights to review; a campaign takes at most ${MAX_CAMPAIGN_ITEMS}. Review privileged rights only, or fewer clusters`, [{ path: 'scope', message: `${total} items is more than ${MAX_CAMPAIGN_ITEMS}` }]);
  }

  const campaign = await tx.accessReviewCampaign.create({
    data: {
      organizationId: ctx.organizationId, name: spec.name, clusterIds: clusters.map((c) => c.id), scope: spec.scope, reviewerMode: spec.reviewerMode,
      reviewerUserId: spec.reviewerMode === 'team' ? null : spec.reviewerUserId ?? null, reviewerTeamId: spec.reviewerMode === 'team' ? spec.reviewerTeamId ?? null : null,
      namespaceReviewers: Object.fromEntries(reviewers.byNamespace), dueAt: spec.dueAt, recurrence: spec.recurrence,
      previousCampaignId: previous?.id ?? null, createdById: actorUserId(ctx), createdByLabel: actorLabel(ctx.actor), createdAt: now,
    },
    select: CAMPAIGN_SELECT,
  });
  const rows = frozen.flatMap(({ cluster, snapshotId, rights }) => rights.map((right) => ({
    organizationId: ctx.organizationId, campaignId: campaign.id, clusterId: cluster.id, clusterName: cluster.name, snapshotId,
    subjectKind: right.subjectKind, subjectName: right.subjectName, subjectNamespace: right.subjectNamespace, namespace: right.namespace,
    rightKey: right.rightKey, verbs: right.verbs, apiGroups: right.apiGroups, resources: right.resources, resourceNames: right.resourceNames,
    nonResourceURLs: right.nonResourceURLs, risks: right.risks, privileged: right.risks.length > 0, chain: right.chains as object,
    isNew: previous ? !previousKeys.has(`${cluster.id}\u0000${right.rightKey}`) : false,
    ...reviewerFor(reviewers, right),
  })));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.accessReviewItem.createMany({ data: rows.slice(i, i + INSERT_CHUNK) });
  await writeAudit(tx, ctx, {
    action: 'access_review.started', targetType: 'AccessReviewCampaign', targetId: campaign.id,
    after: {
      name: campaign.name, clusters: clusters.map((c) => c.name), scope: spec.scope, reviewerMode: spec.reviewerMode, dueAt: spec.dueAt.toISOString(),
      recurrence: spec.recurrence, items: rows.length, newItems: rows.filter((r) => r.isNew).length, snapshots: frozen.map((f) => f.snapshotId),
    },
  });
  const reviewerIds = await reviewerUserIds(tx, campaign.id);
  const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { slug: true } });
  await notifyUsers(tx, ctx.organizationId, reviewerIds, { type: 'access_review.assigned', title: `Access review "${campaign.name}": items to review by ${spec.dueAt.toISOString().slice(0, 10)}`, link: reviewPath(org.slug, campaign.id) });
  const mailIds = await mailReviewers(tx, ctx, campaign, reviewerIds, 'assigned', now);
  return { campaign, mailIds };
}

/** Every person with at least one undecided item of the campaign (assigned directly, or through the team). */
export async function reviewerUserIds(tx: TenantTx, campaignId: string, onlyUndecided = true): Promise<string[]> {
  const groups = await tx.accessReviewItem.groupBy({
    by: ['reviewerUserId', 'reviewerTeamId'], where: { campaignId, ...(onlyUndecided ? { decision: null } : {}) },
  });
  const users = new Set<string>();
  const teams = new Set<string>();
  for (const group of groups) {
    if (group.reviewerUserId) users.add(group.reviewerUserId);
    if (group.reviewerTeamId) teams.add(group.reviewerTeamId);
  }
  if (teams.size > 0) {
    for (const member of await tx.teamMember.findMany({ where: { teamId: { in: [...teams] } }, select: { userId: true } })) users.add(member.userId);
  }
  return [...users];
}

export type CampaignProgress = { total: number; decided: number; kept: number; revoked: number; revocationsOpen: number; revocationsDone: number; overdue: number; newItems: number; privileged: number };

async function progressOf(tx: TenantTx, campaignIds: string[], now: Date): Promise<Map<string, CampaignProgress>> {
  const result = new Map<string, CampaignProgress>(campaignIds.map((id) => [id, { total: 0, decided: 0, kept: 0, revoked: 0, revocationsOpen: 0, revocationsDone: 0, overdue: 0, newItems: 0, privileged: 0 }]));
  if (campaignIds.length === 0) return result;
  const groups = await tx.accessReviewItem.groupBy({ by: ['campaignId', 'decision', 'revocationStatus', 'isNew', 'privileged'], where: { campaignId: { in: campaignIds } }, _count: { _all: true } });
  for (const group of groups) {
    const p = result.get(group.campaignId)!;
    const n = group._count._all;
    p.total += n;
    if (group.decision) p.decided += n;
    if (group.decision === 'keep') p.kept += n;
    if (group.decision === 'revoke') p.revoked += n;
    if (group.revocationStatus === 'open') p.revocationsOpen += n;
    if (group.revocationStatus === 'done') p.revocationsDone += n;
    if (group.isNew) p.newItems += n;
    if (group.privileged) p.privileged += n;
  }
  const overdue = await tx.accessReviewItem.groupBy({ by: ['campaignId'], where: { campaignId: { in: campaignIds }, revocationStatus: 'open', revocationDueAt: { lt: now } }, _count: { _all: true } });
  for (const row of overdue) result.get(row.campaignId)!.overdue = row._count._all;
  return result;
}

/** The organization's campaigns, newest first, each with its progress. */
export async function listCampaigns(ctx: OrgContext, now: Date = new Date()) {
  authorize(ctx, 'access_review.read');
  return dbFor(ctx).$transaction(async (tx) => {
    const campaigns = await tx.accessReviewCampaign.findMany({ orderBy: { createdAt: 'desc' }, take: 200, select: CAMPAIGN_SELECT });
    const progress = await progressOf(tx, campaigns.map((c) => c.id), now);
    return campaigns.map((campaign) => ({ ...campaign, progress: progress.get(campaign.id)!, overdue: campaign.status === 'active' && campaign.dueAt < now }));
  });
}
export type CampaignRow = Awaited<ReturnType<typeof listCampaigns>>[number];

export async function findCampaign(tx: TenantTx, campaignId: string) {
  if (!isUuid(campaignId)) throw new AppError('not_found', 'Access review not found');
  const campaign = await tx.accessReviewCampaign.findUnique({ where: { id: campaignId }, select: CAMPAIGN_SELECT });
  if (!campaign) throw new AppError('not_found', 'Access review not found');
  return campaign;
}

/** One campaign: its progress, and each reviewer's (person or team) decided and total items. */
export async function getCampaign(ctx: OrgContext, campaignId: string, now: Date = new Date()) {
  authorize(ctx, 'access_review.read');
  const id = campaignId;
  return dbFor(ctx).$transaction(async (tx) => {
    const campaign = await findCampaign(tx, id);
    const progress = (await progressOf(tx, [id], now)).get(id)!;
    const groups = await tx.accessReviewItem.groupBy({ by: ['reviewerUserId', 'reviewerTeamId', 'decision'], where: { campaignId: id }, _count: { _all: true } });
    const userIds = [...new Set(groups.map((g) => g.reviewerUserId).filter((v): v is string => Boolean(v)))];
    const teamIds = [...new Set(groups.map((g) => g.reviewerTeamId).filter((v): v is string => Boolean(v)))];
    const [members, teams] = await Promise.all([
      userIds.length ? tx.membership.findMany({ where: { userId: { in: userIds } }, select: { userId: true, user: { select: { email: true, name: true } } } }) : [],
      teamIds.length ? tx.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, name: true } }) : [],
    ]);
    const userLabel = new Map(members.map((m) => [m.userId, m.user.name ?? m.user.email]));
    const teamLabel = new Map(teams.map((t) => [t.id, t.name]));
    const reviewers = new Map<string, { key: string; userId: string | null; teamId: string | null; label: string; total: number; decided: number }>();
    for (const group of groups) {
      const key = group.reviewerUserId ?? `team:${group.reviewerTeamId ?? 'none'}`;
      const label = group.reviewerUserId ? userLabel.get(group.reviewerUserId) ?? 'former member' : group.reviewerTeamId ? `Team ${teamLabel.get(group.reviewerTeamId) ?? '(deleted)'}` : 'Unassigned';
      const row = reviewers.get(key) ?? { key, userId: group.reviewerUserId, teamId: group.reviewerTeamId, label, total: 0, decided: 0 };
      row.total += group._count._all;
      if (group.decision) row.decided += group._count._all;
      reviewers.set(key, row);
    }
    const clusters = await tx.cluster.findMany({ where: { id: { in: campaign.clusterIds } }, select: { id: true, name: true } });
    return {
      ...campaign, progress, overdue: campaign.status === 'active' && campaign.dueAt < now,
      reviewers: [...reviewers.values()].sort((a, b) => a.label.localeCompare(b.label)),
      clusters: campaign.clusterIds.map((cid) => ({ id: cid, name: clusters.find((c) => c.id === cid)?.name ?? 'deleted cluster' })),
    };
  });
}
export type CampaignDetail = Awaited<ReturnType<typeof getCampaign>>;

/**
 * An admin signs the campaign off with a summary: it becomes evidence (ISO 27001 reports). Items still undecided
 * are refused (409 with the count): a review is complete when every item was decided. A quarterly campaign plans
 * its successor (maintenance starts it a quarter after this one started).
 */
export async function signOffCampaign(ctx: OrgContext, input: unknown, now: Date = new Date()) {
  authorize(ctx, 'access_review.manage');
  const userId = requireUserId(ctx, 'sign off an access review');
  const { campaignId, summary } = parseInput(SignOffSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const campaign = await findCampaign(tx, campaignId);
    if (campaign.status === 'completed') throw new AppError('conflict', 'This access review is already signed off');
    const undecided = await tx.accessReviewItem.count({ where: { campaignId, decision: null } });
    if (undecided > 0) throw new AppError('conflict', `${undecided} item${undecided === 1 ? ' is' : 's are'} still undecided; every item needs a decision before the sign-off`);
    const progress = (await progressOf(tx, [campaignId], now)).get(campaignId)!;
    const updated = await tx.accessReviewCampaign.update({
      where: { id: campaignId },
      data: { status: 'completed', completedAt: now, completedById: userId, completedByLabel: actorLabel(ctx.actor), summary },
      select: CAMPAIGN_SELECT,
    });
    await writeAudit(tx, ctx, { action: 'access_review.signed_off', targetType: 'AccessReviewCampaign', targetId: campaignId, after: { summary, ...progress } });
    return { ...updated, progress };
  });
}

/** When a quarterly campaign's successor starts: three months after it started. */
export function nextQuarterStart(createdAt: Date): Date {
  const next = new Date(createdAt);
  next.setUTCMonth(next.getUTCMonth() + 3);
  return next;
}

/** The successor's due date keeps the original's review window. */
export function successorDue(campaign: { createdAt: Date; dueAt: Date }, start: Date): Date {
  return new Date(start.getTime() + Math.max(DAY_MS, campaign.dueAt.getTime() - campaign.createdAt.getTime()));
}

/** What the start form offers: clusters (and whether each has an evaluated snapshot), possible reviewers, teams. */
export async function campaignFormOptions(ctx: OrgContext) {
  authorize(ctx, 'access_review.manage');
  const db = dbFor(ctx);
  const [clusters, members, teams] = await Promise.all([
    db.cluster.findMany({ where: { archivedAt: null }, orderBy: { name: 'asc' }, select: { id: true, name: true, currentEvaluationId: true } }),
    db.membership.findMany({ where: { role: { in: ['OWNER', 'ADMIN', 'MEMBER'] } }, select: { userId: true, user: { select: { email: true, name: true } } } }),
    db.team.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true } }),
  ]);
  return {
    clusters: clusters.map((c) => ({ id: c.id, label: c.currentEvaluationId ? c.name : `${c.name} (no snapshot yet)`, ready: c.currentEvaluationId !== null })),
    members: members.map((m) => ({ id: m.userId, label: m.user.name ? `${m.user.name} (${m.user.email})` : m.user.email })).sort((a, b) => a.label.localeCompare(b.label)),
    teams: teams.map((t) => ({ id: t.id, label: t.name })),
  };
}
