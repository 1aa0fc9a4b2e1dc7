import { systemContext } from '../../platform/auth/context';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { logger } from '../../platform/log';
import { notifyUsers } from '../notifications/notify';
import { requirementPath } from './requirements';

const log = logger.child({ component: 'evidence-expiry' });

/** How long before its validity ends the owner of accepted evidence is reminded. */
export const EXPIRY_REMINDER_DAYS = 14;

/**
 * The maintenance job: each accepted piece of evidence whose validity ends within 14 days (and has not ended) and
 * whose owner was not reminded yet gets one in-app reminder to its owner (the uploader when the owner left), marked
 * so it is sent once. Evidence past its validity needs no write: its state is 'expired' by date
 * (evidenceStates). Returns how many reminders went out.
 */
export async function remindExpiringEvidence(now: Date = new Date()): Promise<number> {
  const horizon = new Date(now.getTime() + EXPIRY_REMINDER_DAYS * 86_400_000);
  const due = await systemDb().evidenceItem.findMany({
    where: { status: 'accepted', expiryRemindedAt: null, validUntil: { gt: now, lte: horizon } },
    select: { id: true, organizationId: true },
  });
  let reminded = 0;
  for (const { id, organizationId } of due) {
    const org = await systemDb().organization.findUnique({ where: { id: organizationId }, select: { slug: true } });
    const ctx = systemContext(organizationId, 'remind-expiring-evidence', org?.slug ?? '');
    await dbFor(ctx).$transaction(async (tx) => {
      // Claimed in the same statement that checks it: a second run (or worker) finds nothing left to send.
      const claimed = await tx.evidenceItem.updateMany({ where: { id, expiryRemindedAt: null }, data: { expiryRemindedAt: now } });
      if (claimed.count === 0) return;
      const item = await tx.evidenceItem.findUnique({ where: { id }, select: { title: true, frameworkId: true, requirementId: true, ownerUserId: true, uploadedById: true, validUntil: true } });
      const recipient = item?.ownerUserId ?? item?.uploadedById;
      if (!item || !recipient) return;
      const days = Math.max(1, Math.ceil((item.validUntil.getTime() - now.getTime()) / 86_400_000));
      reminded += await notifyUsers(tx, organizationId, [recipient], {
        type: 'evidence.expiring',
        title: `Evidence for ${item.requirementId} expires on ${item.validUntil.toISOString().slice(0, 10)} (in ${days} day${days === 1 ? '' : 's'}): ${item.title}`,
        link: requirementPath(ctx.organizationSlug, item.frameworkId, item.requirementId),
      });
    });
  }
  if (reminded) log.info({ reminded }, 'evidence expiry reminders sent');
  return reminded;
}
