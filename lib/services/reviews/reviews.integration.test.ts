import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { isAppError } from '../../platform/errors';
import { createClusterWithToken, createMember, createOrg, createTeam } from '../../testing/factories';
import { clusterRole, clusterRoleBinding, group, namespace, role, roleBinding, serviceAccount, serviceAccountSubject, snapshotOf, user } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { seedCatalog } from '../catalog/seed-catalog';
import { evaluateStoredSnapshot } from '../pipeline/evaluate-stored-snapshot';
import { dispatchDomainEvents } from '../events/dispatch';
import { getCampaign, listCampaigns, signOffCampaign, startCampaign } from './campaigns';
import { decideItems, listItems } from './items';
import { runAccessReviewMaintenance } from './revocations';
import { campaignsForReport } from './evidence';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const DAY = 86_400_000;

/** The error a promise rejects with, as { code, message, issues }. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message, issues: error.issues };
    throw error;
  }
  throw new Error('expected a refusal');
}

function rbacObjects(options: { withCi: boolean; extraAdmin?: boolean }) {
  return [
    namespace('payments'),
    serviceAccount({ namespace: 'payments', name: 'deployer' }),
    serviceAccount({ namespace: 'payments', name: 'ci' }),
    clusterRole({ name: 'secret-reader' }, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]),
    clusterRole({ name: 'pod-viewer' }, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]),
    clusterRoleBinding({ name: 'ops-secrets' }, { name: 'secret-reader' }, [user(ALICE_EMAIL), group('platform-admins'), serviceAccountSubject('payments', 'deployer')]),
    clusterRoleBinding({ name: 'everyone-views-pods' }, { name: 'pod-viewer' }, [group('developers')]),
    role({ namespace: 'payments', name: 'pod-maker' }, [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]),
    ...(options.withCi ? [roleBinding({ namespace: 'payments', name: 'ci-pods' }, { kind: 'Role', name: 'pod-maker' }, [serviceAccountSubject('payments', 'ci')])] : []),
    ...(options.extraAdmin ? [clusterRoleBinding({ name: 'break-glass' }, { name: 'cluster-admin' }, [user('break-glass@example.test')]), clusterRole({ name: 'cluster-admin' }, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])] : []),
  ];
}

const ALICE_EMAIL = `alice-${Date.now().toString(36)}@example.test`;

let org: { id: string; slug: string };
let admin: { user: { id: string }; ctx: OrgContext };
let alice: { user: { id: string }; ctx: OrgContext };
let bob: { user: { id: string }; ctx: OrgContext };
let cluster: { id: string; token: string };
let emptyCluster: { id: string; name: string };
let collected = Date.parse('2026-11-01T00:00:00Z');

async function pushAndEvaluate(objects: ReturnType<typeof rbacObjects>) {
  collected += 3_600_000;
  const pushed = await pushSnapshot(cluster.token, snapshotOf(objects, { clusterUid: 'uid-reviews', collectedAt: new Date(collected).toISOString() }));
  const outcome = await evaluateStoredSnapshot(systemContext(org.id, 'test', org.slug), pushed.snapshotId);
  expect(outcome.outcome).toBe('done');
  return pushed.snapshotId;
}

beforeAll(async () => {
  await seedCatalog();
  org = await createOrg(`Reviews ${Date.now().toString(36)}`);
  admin = await createMember(org, 'ADMIN');
  alice = await createMember(org, 'MEMBER', ALICE_EMAIL);
  bob = await createMember(org, 'MEMBER');
  const created = await createClusterWithToken(org, 'prod-reviews');
  cluster = { id: created.cluster.id, token: created.token };
  const empty = await createClusterWithToken(org, 'never-reported');
  emptyCluster = { id: empty.cluster.id, name: 'never-reported' };
  await pushAndEvaluate(rbacObjects({ withCi: true }));
});

const dueIn = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describe('access review campaigns', () => {
  let campaignId: string;
  const itemOf = async (subjectName: string) => {
    const { items } = await listItems(admin.ctx, campaignId, { limit: 500 });
    const item = items.find((i) => i.subjectName === subjectName);
    if (!item) throw new Error(`no item for ${subjectName}`);
    return item;
  };

  it('refuses a cluster without a snapshot by name, and writes nothing', async () => {
    const refused = await refusal(startCampaign(admin.ctx, { name: 'Q4', clusterIds: [cluster.id, emptyCluster.id], scope: 'privileged', reviewerMode: 'person', reviewerUserId: alice.user.id, dueAt: dueIn(14) }));
    expect(refused.code).toBe('invalid');
    expect(refused.message).toContain('never-reported');
    expect(refused.issues).toEqual([expect.objectContaining({ path: 'clusterIds' })]);
    expect(await dbFor(admin.ctx).accessReviewCampaign.count()).toBe(0);
  });

  it('freezes the privileged rights of the latest evaluated snapshot; a member cannot start one', async () => {
    expect((await refusal(startCampaign(alice.ctx, { name: 'x', clusterIds: [cluster.id], scope: 'privileged', reviewerMode: 'person', reviewerUserId: alice.user.id, dueAt: dueIn(14) }))).code).toBe('forbidden');
    const campaign = await startCampaign(admin.ctx, { name: 'Q4 privileged access', clusterIds: [cluster.id], scope: 'privileged', reviewerMode: 'person', reviewerUserId: alice.user.id, dueAt: dueIn(14) });
    campaignId = campaign.id;
    const { items } = await listItems(admin.ctx, campaignId, { limit: 500 });
    // secrets read (User, Group, ServiceAccount) and pod create (ci); the pod viewer is not privileged.
    expect(items.map((i) => `${i.subjectKind} ${i.subjectName}`).sort()).toEqual([`Group platform-admins`, 'ServiceAccount ci', 'ServiceAccount deployer', `User ${ALICE_EMAIL}`].sort());
    expect(items.every((i) => i.privileged && i.reviewerUserId === alice.user.id && !i.isNew)).toBe(true);
    const ci = items.find((i) => i.subjectName === 'ci')!;
    expect(ci.namespace).toBe('payments');
    expect(ci.chain).toEqual([{ binding: 'RoleBinding payments/ci-pods', role: 'Role payments/pod-maker' }]);
    const audit = await dbFor(admin.ctx).auditLog.findFirst({ where: { action: 'access_review.started', targetId: campaignId } });
    expect(audit).not.toBeNull();
    const notified = await dbFor(admin.ctx).notification.count({ where: { userId: alice.user.id, type: 'access_review.assigned' } });
    expect(notified).toBe(1);
    const mails = await dbFor(admin.ctx).mailMessage.findMany({ where: { category: 'access_review', userId: alice.user.id } });
    expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining('Q4 privileged access')]);
  });

  it('refuses a reviewer their own access: their User subject, and a Group they are in through their IdP', async () => {
    const own = await itemOf(ALICE_EMAIL);
    const asUser = await refusal(decideItems(alice.ctx, { campaignId, itemIds: [own.id], decision: 'keep', reason: 'I need it' }));
    expect(asUser.code).toBe('forbidden');
    expect(asUser.message).toContain('your own access');
    await systemDb().membership.updateMany({ where: { organizationId: org.id, userId: alice.user.id }, data: { idpGroups: ['platform-admins'] } });
    const groupItem = await itemOf('platform-admins');
    const asGroup = await refusal(decideItems(alice.ctx, { campaignId, itemIds: [groupItem.id], decision: 'keep', reason: 'team needs it' }));
    expect(asGroup.code).toBe('forbidden');
    expect(asGroup.message).toContain('platform-admins');
    // Bob is not the reviewer: 403 as well, for another reason.
    expect((await refusal(decideItems(bob.ctx, { campaignId, itemIds: [groupItem.id], decision: 'revoke' }))).message).toContain('another reviewer');
    expect((await itemOf('platform-admins')).decision).toBeNull();
  });

  it('keeping a privileged right needs a reason (400 on reason); with one it is kept, audited', async () => {
    const deployer = await itemOf('deployer');
    const refused = await refusal(decideItems(alice.ctx, { campaignId, itemIds: [deployer.id], decision: 'keep' }));
    expect(refused.code).toBe('invalid');
    expect(refused.issues).toEqual([expect.objectContaining({ path: 'reason' })]);
    await decideItems(alice.ctx, { campaignId, itemIds: [deployer.id], decision: 'keep', reason: 'Deploys read the registry pull secret' });
    const kept = await itemOf('deployer');
    expect(kept).toMatchObject({ decision: 'keep', reason: 'Deploys read the registry pull secret', decidedById: alice.user.id });
    expect(await dbFor(admin.ctx).auditLog.count({ where: { action: 'access_review.item_kept', targetId: deployer.id } })).toBe(1);
  });

  it('another organization gets 404 for the campaign and its items, and cannot decide them', async () => {
    const other = await createOrg(`Other ${Date.now().toString(36)}`);
    const intruder = await createMember(other, 'OWNER');
    expect((await refusal(getCampaign(intruder.ctx, campaignId))).code).toBe('not_found');
    expect((await refusal(listItems(intruder.ctx, campaignId))).code).toBe('not_found');
    const deployer = await itemOf('deployer');
    expect((await refusal(decideItems(intruder.ctx, { campaignId, itemIds: [deployer.id], decision: 'revoke' }))).code).toBe('not_found');
    expect((await listCampaigns(intruder.ctx))).toEqual([]);
    expect((await itemOf('deployer')).decision).toBe('keep');
  });

  it('a revocation is closed by a later snapshot in which the right is gone, not by one where it stays', async () => {
    const ci = await itemOf('ci');
    await decideItems(alice.ctx, { campaignId, itemIds: [ci.id], decision: 'revoke', reason: 'CI moved to the build cluster' });
    expect(await itemOf('ci')).toMatchObject({ decision: 'revoke', revocationStatus: 'open' });
    expect(await dbFor(admin.ctx).notification.count({ where: { userId: admin.user.id, type: 'access_review.revocation' } })).toBe(1);

    // Still there: nothing changes.
    await pushAndEvaluate(rbacObjects({ withCi: true, extraAdmin: true }));
    await dispatchDomainEvents();
    expect((await itemOf('ci')).revocationStatus).toBe('open');

    const snapshotId = await pushAndEvaluate(rbacObjects({ withCi: false, extraAdmin: true }));
    await dispatchDomainEvents();
    expect(await itemOf('ci')).toMatchObject({ revocationStatus: 'done', revocationSnapshotId: snapshotId });
    expect(await dbFor(admin.ctx).auditLog.count({ where: { action: 'access_review.revocation_carried_out', targetId: ci.id } })).toBe(1);
  });

  it('a revocation still present after the due date is overdue: listed, counted, and owners are told once', async () => {
    const groupItem = await itemOf('platform-admins');
    await decideItems(admin.ctx, { campaignId, itemIds: [groupItem.id], decision: 'revoke', reason: 'Group too broad' });
    const campaign = await getCampaign(admin.ctx, campaignId);
    const later = new Date(campaign.dueAt.getTime() + DAY);
    const first = await runAccessReviewMaintenance(later);
    expect(first.overdue).toBe(1);
    expect((await runAccessReviewMaintenance(later)).overdue).toBe(0);
    const overdue = await listItems(admin.ctx, campaignId, { filter: 'overdue' }, later);
    expect(overdue.items.map((i) => i.subjectName)).toEqual(['platform-admins']);
    expect(overdue.items[0]!.revocationOverdue).toBe(true);
    expect((await getCampaign(admin.ctx, campaignId, later)).progress.overdue).toBe(1);
    const owners = await dbFor(admin.ctx).notification.findMany({ where: { type: 'access_review.revocation_overdue' } });
    expect(owners.map((n) => n.userId)).toContain(admin.user.id);
    // The campaign is past due and Alice still has an undecided item: she is reminded, once that day.
    expect(first.reminded).toBe(1);
    expect(await dbFor(admin.ctx).notification.count({ where: { userId: alice.user.id, type: 'access_review.due' } })).toBe(1);
    expect(await dbFor(admin.ctx).mailMessage.count({ where: { userId: alice.user.id, category: 'access_review', subject: { contains: 'due' } } })).toBe(1);
  });

  it('signs off only when every item is decided; the completed campaign is evidence for the report period', async () => {
    expect((await refusal(signOffCampaign(admin.ctx, { campaignId, summary: 'Done' }))).code).toBe('conflict');
    const own = await itemOf(ALICE_EMAIL);
    await decideItems(admin.ctx, { campaignId, itemIds: [own.id], decision: 'keep', reason: 'On-call needs to read secrets' });
    const signed = await signOffCampaign(admin.ctx, { campaignId, summary: 'Two revocations, one carried out.' });
    expect(signed).toMatchObject({ status: 'completed', summary: 'Two revocations, one carried out.' });
    expect(signed.progress).toMatchObject({ total: 4, kept: 2, revoked: 2, revocationsDone: 1, revocationsOpen: 1 });
    const evidence = await campaignsForReport(admin.ctx, { start: new Date(Date.now() - DAY), end: new Date(Date.now() + DAY) });
    expect(evidence.map((c) => c.name)).toEqual(['Q4 privileged access']);
    expect(evidence[0]!.items.find((i) => i.subject.includes('ci'))).toMatchObject({ decision: 'revoke', revocation: 'carried out' });
    expect((await refusal(decideItems(admin.ctx, { campaignId, itemIds: [own.id], decision: 'revoke' }))).code).toBe('conflict');
  });

  it('the next campaign marks what is new since the last completed one; a team reviews it', async () => {
    const team = await createTeam(org.id, 'Platform', [bob.user.id]);
    const next = await startCampaign(admin.ctx, { name: 'Q1 privileged access', clusterIds: [cluster.id], scope: 'privileged', reviewerMode: 'team', reviewerTeamId: team.id, dueAt: dueIn(30) });
    const { items } = await listItems(admin.ctx, next.id, { filter: 'new' });
    expect(items.map((i) => i.subjectName)).toEqual(['break-glass@example.test']);
    const mine = await listItems(bob.ctx, next.id, { filter: 'mine' });
    expect(mine.total).toBeGreaterThan(0);
    await decideItems(bob.ctx, { campaignId: next.id, itemIds: [items[0]!.id], decision: 'keep', reason: 'Sealed envelope account' });
    const detail = await getCampaign(admin.ctx, next.id);
    expect(detail.reviewers).toEqual([expect.objectContaining({ label: 'Team Platform', decided: 1 })]);
  });
});
