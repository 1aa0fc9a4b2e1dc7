import { systemContext } from '../../platform/auth/context';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { MAIL_CATEGORY_LABELS, type MailCategory } from './types';
import { readUnsubscribeToken } from './unsubscribe-token';

export type UnsubscribeView = { ok: true; organizationName: string; email: string; category: MailCategory; categoryLabel: string } | { ok: false };

/** What the public unsubscribe page shows for a token (nothing for a bad or forged one). */
export async function describeUnsubscribe(token: string): Promise<UnsubscribeView> {
  const claim = readUnsubscribeToken(token);
  if (!claim) return { ok: false };
  // Crosses tenants on purpose: the signed token names one organization, and only its name is shown.
  const org = await systemDb().organization.findUnique({ where: { id: claim.organizationId }, select: { name: true } });
  if (!org) return { ok: false };
  return { ok: true, organizationName: org.name, email: claim.email, category: claim.category, categoryLabel: MAIL_CATEGORY_LABELS[claim.category] };
}

/**
 * Records the opt-out a signed unsubscribe token names: that address gets no more mail of that category from that
 * organization (other categories and organizations are untouched; invitations have no token). Idempotent.
 */
export async function unsubscribe(token: string): Promise<UnsubscribeView> {
  const view = await describeUnsubscribe(token);
  if (!view.ok) return view;
  const claim = readUnsubscribeToken(token)!;
  const ctx = systemContext(claim.organizationId, 'mail-unsubscribe');
  await dbFor(ctx).mailOptOut.upsert({
    where: { organizationId_email_category: { organizationId: claim.organizationId, email: claim.email, category: claim.category } },
    create: { organizationId: claim.organizationId, email: claim.email, category: claim.category },
    update: {},
  });
  return view;
}
