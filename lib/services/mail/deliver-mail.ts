import type { OrgContext } from '../../platform/auth/context';
import { open } from '../../platform/auth/secret-box';
import { dbFor } from '../../platform/db/tenant';
import { env } from '../../platform/env';
import { logger } from '../../platform/log';
import { sealContext, type SealedMailBody } from './send-mail';
import { configuredSmtpUrl, smtpTransport } from './transport';

const log = logger.child({ component: 'mail' });

/** What happened to one delivery attempt; `retry` asks the queue to try again later (BullMQ's backoff). */
export type MailAttempt = { outcome: 'sent' | 'failed' | 'bounced' | 'retry' | 'disabled' | 'nothing-to-do'; error?: string };

/** An SMTP answer that will not change on retry: the server refused the recipient or the message (5xx). */
function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** A short, secret-free description of an SMTP failure for the mail log (the server's answer, not our URL). */
function describe(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const parts = [typeof e.code === 'string' ? e.code : null, typeof e.responseCode === 'number' ? String(e.responseCode) : null,
    typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : 'unknown error'];
  // nodemailer's messages never carry the URL's password, but strip anything URL-shaped to be sure.
  return parts.filter(Boolean).join(' ').replace(/smtps?:\/\/\S+/g, '[smtp url]').slice(0, 500);
}

/**
 * Sends one queued message over SMTP. Sent: the row is SENT with its time and the sealed body is cleared. A 5xx
 * refusal is BOUNCED at once (retrying would get the same answer). Any other failure (connection refused, timeout,
 * 4xx) counts an attempt and asks for a retry, until the final attempt marks it FAILED. Without SMTP_URL the
 * message is logged (category, recipient, subject; never the body, which may hold a single-use link) and FAILED.
 */
export async function deliverMail(ctx: OrgContext, messageId: string, options: { isFinalAttempt: boolean; smtpUrl?: string | null }): Promise<MailAttempt> {
  const db = dbFor(ctx);
  const message = await db.mailMessage.findUnique({ where: { id: messageId } });
  if (!message || message.status !== 'QUEUED' || !message.sealedBody || !message.sealedKeyId) return { outcome: 'nothing-to-do' };
  const smtpUrl = options.smtpUrl === undefined ? configuredSmtpUrl() : options.smtpUrl;
  if (!smtpUrl) {
    log.info({ organizationId: ctx.organizationId, messageId, category: message.category, to: message.recipient, subject: message.subject }, 'mail not sent: SMTP_URL is not set');
    await db.mailMessage.update({ where: { id: messageId }, data: { status: 'FAILED', attempts: { increment: 1 }, lastError: 'Not sent: SMTP_URL is not configured', sealedBody: null, sealedKeyId: null } });
    return { outcome: 'disabled', error: 'SMTP_URL is not configured' };
  }
  const body = JSON.parse(open({ ciphertext: message.sealedBody, keyId: message.sealedKeyId }, sealContext(messageId))) as SealedMailBody;
  try {
    await smtpTransport(smtpUrl).sendMail({
      from: env().MAIL_FROM,
      to: message.recipient,
      subject: message.subject,
      text: body.text,
      html: body.html,
      headers: { 'X-Bulwark-Category': message.category },
      ...(body.unsubscribeUrl ? { list: { unsubscribe: { url: body.unsubscribeUrl, comment: 'Unsubscribe' } } } : {}),
    });
    await db.mailMessage.update({ where: { id: messageId }, data: { status: 'SENT', attempts: { increment: 1 }, lastError: null, sentAt: new Date(), sealedBody: null, sealedKeyId: null } });
    return { outcome: 'sent' };
  } catch (error) {
    const lastError = describe(error);
    const permanent = isPermanentRefusal(error);
    const final = permanent || options.isFinalAttempt;
    await db.mailMessage.update({
      where: { id: messageId },
      data: { attempts: { increment: 1 }, lastError, ...(final ? { status: permanent ? 'BOUNCED' : 'FAILED', sealedBody: null, sealedKeyId: null } : {}) },
    });
    log.warn({ organizationId: ctx.organizationId, messageId, category: message.category, err: lastError, final }, 'mail delivery failed');
    return { outcome: permanent ? 'bounced' : final ? 'failed' : 'retry', error: lastError };
  }
}
