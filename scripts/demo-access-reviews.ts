/**
 * `npx tsx scripts/demo-access-reviews.ts`: Acme's access reviews (issue 22), made by the demo people through the same
 * services the pages call: last quarter's review of privileged rights on every cluster with a snapshot, started by the
 * owner, decided by the engineer (the admin decides what is the engineer's own access: four eyes), one right revoked
 * (still granted by the latest snapshots, so its revocation shows as overdue), signed off by the owner with a summary;
 * and this quarter's review, in progress: a third of it decided, due in two weeks. Idempotent: it does nothing once
 * Acme has an access review. Runs after scripts/demo-history.ts (the clusters need evaluated snapshots) and before
 * scripts/demo-workflow.ts.
 */
import 'dotenv/config';
import path from 'node:path';
import { dbFor } from '../lib/platform/db/tenant';
import { findDevUser } from '../lib/testing/factories';
import { disconnectDb } from '../lib/platform/db/client';
import { closeProducers } from '../lib/platform/queue/producers';
import { resolveMembership } from '../lib/platform/auth/membership';
import type { OrgContext } from '../lib/platform/auth/context';
import { isAppError } from '../lib/platform/errors';
import { logger } from '../lib/platform/log';
import { signOffCampaign, startCampaign, startInTx } from '../lib/services/reviews/campaigns';
import { decideItems, listItems } from '../lib/services/reviews/items';

const DAY = 86_400_000;

async function as(email: string): Promise<OrgContext & { userId: string }> {
  const user = await findDevUser(email);
  const ctx = user ? await resolveMembership(user.id, 'acme') : null;
  if (!user || !ctx) throw new Error(`${email} is not a member of Acme; run the demo seed first`);
  return Object.assign(ctx, { userId: user.id });
}

/** Why a privileged right of the demo is kept, in the words of a reviewer who knows the cluster. */
function keepReason(item: { subjectKind: string; subjectName: string; risks: string[] }): string {
  if (item.subjectKind === 'ServiceAccount') return `Workload identity ${item.subjectName} needs it (${item.risks.join(', ') || 'reviewed'}); checked against its deployment.`;
  if (item.subjectKind === 'Group') return `Group ${item.subjectName} is the on-call rota; membership is managed in the IdP and reviewed monthly.`;
  return `Named break-glass account; use is alerted and reviewed.`;
}

/** Decides items as the reviewer; an item that is the reviewer's own access goes to the second person. */
async function decide(reviewer: OrgContext, second: OrgContext, campaignId: string, item: { id: string; subjectKind: string; subjectName: string; risks: string[] }, decision: 'keep' | 'revoke', at: Date) {
  const input = { campaignId, itemIds: [item.id], decision, reason: decision === 'keep' ? keepReason(item) : 'No longer used: its last deploy was months ago.' };
  try {
    await decideItems(reviewer, input, at);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'forbidden') throw error;
    await decideItems(second, input, at);
  }
}

export async function loadDemoAccessReviews(options: { now?: Date; log?: (line: string) => void } = {}): Promise<string> {
  const now = options.now ?? new Date();
  const log = options.log ?? (() => {});
  const owner = await as('owner@acme.test');
  const admin = await as('admin@acme.test');
  const engineer = await as('engineer@acme.test');
  const db = dbFor(owner);
  if (await db.accessReviewCampaign.count() > 0) return 'demo access reviews already loaded';
  const clusters = await db.cluster.findMany({ where: { archivedAt: null, currentEvaluationId: { not: null } }, select: { id: true }, orderBy: { name: 'asc' } });
  if (clusters.length === 0) return 'no evaluated cluster: run scripts/demo-history.ts first';
  const clusterIds = clusters.map((c) => c.id);

  // Last quarter: started 100 days ago, due two weeks later, decided over a week, signed off 85 days ago. Started with
  // startInTx at that date (the form refuses a due date in the past), from the snapshots the clusters have now.
  const started = new Date(now.getTime() - 100 * DAY);
  const { campaign: past } = await db.$transaction((tx) => startInTx(tx, owner, {
    name: 'Privileged access review (last quarter)', clusterIds, scope: 'privileged', reviewerMode: 'person', reviewerUserId: engineer.userId,
    namespaceReviewers: [], dueAt: new Date(started.getTime() + 14 * DAY), recurrence: 'none',
  }, started), { timeout: 120_000 });
  const pastItems = (await listItems(owner, past.id, { limit: 500 })).items;
  let revoked = 0;
  for (const [index, item] of pastItems.entries()) {
    const revoke = revoked === 0 && item.subjectKind === 'ServiceAccount' && index > 0;
    if (revoke) revoked += 1;
    await decide(engineer, admin, past.id, item, revoke ? 'revoke' : 'keep', new Date(started.getTime() + (2 + (index % 7)) * DAY));
  }
  await signOffCampaign(owner, {
    campaignId: past.id,
    summary: `${pastItems.length} privileged rights reviewed by the platform engineer (the admin decided the engineer's own access). ${revoked} ServiceAccount right revoked: its binding is to be removed by the platform team.`,
  }, new Date(started.getTime() + 15 * DAY));
  // The sign-off date is when the owner signed; the audit entry is written now, as every demo action.

  // This quarter: in progress, due in two weeks, a third decided.
  const current = await startCampaign(owner, {
    name: 'Privileged access review (this quarter)', clusterIds, scope: 'privileged', reviewerMode: 'person', reviewerUserId: engineer.userId,
    dueAt: new Date(now.getTime() + 14 * DAY).toISOString(), recurrence: 'quarterly',
  }, now);
  const currentItems = (await listItems(owner, current.id, { limit: 500 })).items;
  const third = currentItems.slice(0, Math.ceil(currentItems.length / 3));
  for (const item of third) await decide(engineer, admin, current.id, item, 'keep', now);

  const summary = `access reviews: last quarter's signed off (${pastItems.length} items, ${revoked} revoked), this quarter's in progress (${third.length} of ${currentItems.length} decided)`;
  log(summary);
  return summary;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  logger.level = 'warn';
  loadDemoAccessReviews({ log: (line) => console.log(`[demo-access-reviews] ${line}`) })
    .then((result) => { if (!result.startsWith('access reviews')) console.log(`[demo-access-reviews] ${result}`); })
    .catch((error: unknown) => { console.error(`[demo-access-reviews] ERROR: ${error instanceof Error ? error.stack ?? error.message : String(error)}`); process.exitCode = 1; })
    .finally(async () => { await closeProducers(); await disconnectDb(); });
}
