import type { OrgContext } from '../../platform/auth/context';
import type { MailRequest } from './types';

export type { MailCategory, MailRecipient, MailRequest, MailTemplate } from './types';
export { MAIL_CATEGORIES } from './types';

/**
 * Queues one mail per recipient for the caller's organization: a MailMessage row each (the admins' mail log),
 * delivered by the mail worker over SMTP with retries and exponential backoff. Members who opted out of the
 * category are recorded as skipped; `{ userId }` recipients who are not members of the organization are dropped.
 * Returns how many were queued. Never throws for delivery problems: they show in the mail log.
 */
export async function sendMail(ctx: OrgContext, request: MailRequest): Promise<{ queued: number; skipped: number }> {
  void ctx; void request;
  throw new Error('sendMail: not implemented yet (issue 20, in progress)');
}
