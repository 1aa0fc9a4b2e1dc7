import { randomUUID } from 'node:crypto';
import type { OrgContext } from '../../platform/auth/context';
import { seal } from '../../platform/auth/secret-box';
import { dbFor, systemDb, type TenantTx } from '../../platform/db/tenant';
import { logger } from '../../platform/log';
import { enqueueMail } from '../../platform/queue/producers';
import { renderMail } from './render';
import { MAIL_CATEGORY_LABELS, TRANSACTIONAL_CATEGORIES, type MailRequest } from './types';
import { unsubscribeUrl } from './unsubscribe-token';

export type { MailCategory, MailRecipient, MailRequest, MailTemplate } from './types';
export { MAIL_CATEGORIES } from './types';

const log = logger.child({ component: 'mail' });

/** The sealed body of a queued message: both renderings and the unsubscribe link for the List-Unsubscribe header. */
export type SealedMailBody = { html: string; text: string; unsubscribeUrl?: string };
export const sealContext = (messageId: string) => `mail-message:${messageId}`;

/** Normalizes an address for comparison and opt-outs. */
const normalize = (email: string) => email.trim().toLowerCase();

/**
 * Writes one MailMessage per recipient in the caller's transaction (so a mail is queued exactly when the change it
 * reports commits) and returns the ids to hand to `queueMailDeliveries` after the commit. `{ userId }` recipients
 * are resolved through the organization's memberships (row-level security: only this organization's members);
 * anyone else is dropped. An address that opted out of the category gets a SKIPPED row without a body.
 * `dedupeKey`: a mail with the same key already written in this organization makes this a no-op.
 */
export async function writeMail(tx: TenantTx, ctx: OrgContext, request: MailRequest & { dedupeKey?: string }): Promise<{ queued: string[]; skipped: number }> {
  const userIds = request.to.flatMap((r) => ('userId' in r ? [r.userId] : []));
  const members = userIds.length
    ? await tx.membership.findMany({ where: { userId: { in: userIds } }, select: { userId: true, user: { select: { email: true } } } })
    : [];
  const recipients = new Map<string, string | null>(); // address → member's user id (null for a vetted address)
  for (const member of members) if (member.user.email) recipients.set(normalize(member.user.email), member.userId);
  for (const r of request.to) if ('email' in r && !recipients.has(normalize(r.email))) recipients.set(normalize(r.email), null);
  if (recipients.size === 0) return { queued: [], skipped: 0 };
  if (request.dedupeKey && await tx.mailMessage.findFirst({ where: { dedupeKey: { startsWith: request.dedupeKey } }, select: { id: true } })) return { queued: [], skipped: 0 };

  const transactional = TRANSACTIONAL_CATEGORIES.has(request.category);
  const optedOut = transactional ? new Set<string>() : new Set((await tx.mailOptOut.findMany({
    where: { category: request.category, email: { in: [...recipients.keys()] } }, select: { email: true },
  })).map((row) => row.email));

  const queued: string[] = [];
  let skipped = 0;
  let n = 0;
  for (const [email, userId] of recipients) {
    const id = randomUUID();
    const dedupeKey = request.dedupeKey ? `${request.dedupeKey}#${n++}` : null;
    const base = { id, organizationId: ctx.organizationId, category: request.category, recipient: email, userId, subject: request.subject.slice(0, 300), dedupeKey };
    if (optedOut.has(email)) {
      await tx.mailMessage.create({ data: { ...base, status: 'SKIPPED', lastError: 'The recipient unsubscribed from this category' } });
      skipped += 1;
      continue;
    }
    const unsubscribe = transactional ? undefined : unsubscribeUrl({ organizationId: ctx.organizationId, email, category: request.category });
    const rendered = renderMail(request.template, { unsubscribeUrl: unsubscribe, categoryLabel: MAIL_CATEGORY_LABELS[request.category] });
    const body: SealedMailBody = { ...rendered, ...(unsubscribe ? { unsubscribeUrl: unsubscribe } : {}) };
    const sealed = seal(JSON.stringify(body), sealContext(id));
    await tx.mailMessage.create({ data: { ...base, status: 'QUEUED', sealedBody: sealed.ciphertext, sealedKeyId: sealed.keyId } });
    queued.push(id);
  }
  return { queued, skipped };
}

/**
 * Puts written messages on the mail queue (after their transaction committed). When Redis is away the rows stay
 * QUEUED and the mail sweep (maintenance) queues them later; the caller's work is not undone for a mail.
 */
export async function queueMailDeliveries(organizationId: string, messageIds: readonly string[]): Promise<void> {
  for (const messageId of messageIds) {
    try {
      await enqueueMail({ organizationId, messageId });
    } catch (error) {
      log.warn({ organizationId, messageId, err: error instanceof Error ? error.message : String(error) }, 'could not queue a mail; the mail sweep will');
    }
  }
}

/**
 * Queues one mail per recipient for the caller's organization: a MailMessage row each (the admins' mail log),
 * delivered by the mail worker over SMTP with retries and exponential backoff. Members who opted out of the
 * category are recorded as skipped; `{ userId }` recipients who are not members of the organization are dropped.
 * Never throws for delivery problems: they show in the mail log.
 */
export async function sendMail(ctx: OrgContext, request: MailRequest & { dedupeKey?: string }): Promise<{ queued: number; skipped: number }> {
  const written = await dbFor(ctx).$transaction((tx) => writeMail(tx, ctx, request));
  await queueMailDeliveries(ctx.organizationId, written.queued);
  return { queued: written.queued.length, skipped: written.skipped };
}

/**
 * The mail outbox's safety net (maintenance, every minute): messages still QUEUED a while after they were written
 * are offered to the queue again. One whose job exists already (waiting, delayed for a retry, running) is not
 * queued twice (the message id is the job id); one whose enqueue was lost (Redis away at the time) is delivered now.
 */
export async function sweepQueuedMail(now: Date = new Date(), olderThanMs = 120_000): Promise<number> {
  // Cross-tenant by design (as the snapshot outbox sweep): ids only, each queued under its own organization.
  const stale = await systemDb().mailMessage.findMany({
    where: { status: 'QUEUED', createdAt: { lt: new Date(now.getTime() - olderThanMs) } },
    orderBy: { createdAt: 'asc' }, take: 500, select: { id: true, organizationId: true },
  });
  for (const row of stale) await queueMailDeliveries(row.organizationId, [row.id]);
  return stale.length;
}
