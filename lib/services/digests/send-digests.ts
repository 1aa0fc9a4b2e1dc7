import { systemContext, userContext } from '../../platform/auth/context';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { logger } from '../../platform/log';
import { enqueueOrgDigests } from '../../platform/queue/producers';
import { appLink } from '../mail/event-mails';
import { queueMailDeliveries, writeMail } from '../mail/send-mail';
import { digestContent, digestTemplate } from './content';
import { digestPeriod } from './schemas';

const log = logger.child({ component: 'digests' });

/**
 * The maintenance tick (every 15 minutes): one job per organization that has a member with a digest, on the fair
 * `digests` queue, so an organization with thousands of members takes turns with the others instead of holding
 * them up. Cross-tenant by design (organization ids only; a small table, one row per member who chose).
 */
export async function offerDigestJobs(now: Date = new Date()): Promise<number> {
  const orgs = await systemDb().digestSetting.findMany({ where: { frequency: { not: 'none' } }, distinct: ['organizationId'], select: { organizationId: true } });
  for (const { organizationId } of orgs) await enqueueOrgDigests({ organizationId }, now);
  return orgs.length;
}

export type OrgDigestsResult = { sent: number; empty: number; alreadySent: number; unsubscribed: number; failed: number };

/**
 * One organization's digests at `now`: for each member with a daily or weekly digest whose current period (the
 * latest 08:00 or Monday 08:00 in their time zone) has no digest yet, the digest is read as that member and mailed,
 * unless it would say nothing (then the period is recorded with 0 items and no mail: a digest is what waited at its
 * hour, and each member is read once per period, not at every tick). The DigestRun row (unique per member and period) and the mail are written in one
 * transaction, so a retried or concurrent job never sends a second one; an unsubscribed address gets none.
 */
export async function sendOrgDigests(organizationId: string, now: Date = new Date()): Promise<OrgDigestsResult> {
  const ctx = systemContext(organizationId, 'digests');
  const db = dbFor(ctx);
  const result: OrgDigestsResult = { sent: 0, empty: 0, alreadySent: 0, unsubscribed: 0, failed: 0 };
  const org = await db.organization.findUnique({ where: { id: organizationId }, select: { id: true, slug: true, name: true } });
  if (!org) return result;
  const settings = await db.digestSetting.findMany({ where: { frequency: { in: ['daily', 'weekly'] } }, select: { userId: true, frequency: true, timeZone: true } });
  if (settings.length === 0) return result;
  const members = new Map((await db.membership.findMany({
    where: { userId: { in: settings.map((s) => s.userId) } }, select: { userId: true, role: true, user: { select: { email: true, name: true } } },
  })).map((m) => [m.userId, m]));
  // A weekly period is at most 7 days old: older runs cannot match.
  const done = new Set((await db.digestRun.findMany({ where: { createdAt: { gte: new Date(now.getTime() - 8 * 86_400_000) } }, select: { userId: true, period: true } }))
    .map((run) => `${run.userId} ${run.period}`));
  const optedOut = new Set((await db.mailOptOut.findMany({ where: { category: 'digest' }, select: { email: true } })).map((row) => row.email));

  for (const setting of settings) {
    const member = members.get(setting.userId);
    if (!member?.user.email) continue;
    const frequency = setting.frequency === 'daily' ? 'daily' : 'weekly';
    const period = digestPeriod(frequency, setting.timeZone, now);
    if (done.has(`${setting.userId} ${period.key}`)) { result.alreadySent += 1; continue; }
    const email = member.user.email.trim().toLowerCase();
    if (optedOut.has(email)) { result.unsubscribed += 1; continue; }
    try {
      const memberCtx = userContext(org, { userId: member.userId, email, name: member.user.name }, member.role);
      const content = await digestContent(memberCtx, now);
      if (content.total === 0) {
        // Nothing to say: no mail, and the period is settled (items 0), so later ticks do not read it again.
        await db.digestRun.createMany({ data: [{ organizationId, userId: member.userId, period: period.key, items: 0 }], skipDuplicates: true });
        result.empty += 1;
        continue;
      }
      const { subject, template } = digestTemplate(content, {
        organizationName: org.name, frequency, link: appLink,
        approvalsPath: `/o/${org.slug}/approvals`, findingsPath: `/o/${org.slug}/findings?assigneeUserId=${member.userId}`,
      });
      const queued = await db.$transaction(async (tx) => {
        const claimed = await tx.digestRun.createMany({ data: [{ organizationId, userId: member.userId, period: period.key, items: content.total }], skipDuplicates: true });
        if (claimed.count === 0) return null;
        return (await writeMail(tx, ctx, { to: [{ userId: member.userId }], category: 'digest', subject, template })).queued;
      });
      if (queued === null) { result.alreadySent += 1; continue; }
      await queueMailDeliveries(organizationId, queued);
      result.sent += 1;
    } catch (error) {
      result.failed += 1;
      log.error({ organizationId, userId: setting.userId, err: error instanceof Error ? error.message : String(error) }, 'digest failed; the next tick tries again');
    }
  }
  return result;
}
