import type { OrgContext } from '../../platform/auth/context';
import type { TenantTx } from '../../platform/db/tenant';
import { appLink } from '../mail/event-mails';
import { writeMail } from '../mail/send-mail';

/** The campaign's page. */
export function reviewPath(orgSlug: string, campaignId: string): string {
  return `/o/${orgSlug}/reviews/${campaignId}`;
}

type MailKind = 'assigned' | 'due' | 'revocation_overdue';

/**
 * The "access review due" mail, through the one template set (mail/types.ts) in the category `access_review` (its
 * own unsubscribe link): a reviewer hears when items are assigned and, as a reminder, before and after the due date
 * while items wait; owners hear of a revocation still not carried out after the due date. A reminder's dedupe key
 * is the campaign, the person and the day, so a re-run of the maintenance job mails no one twice.
 */
export async function mailReviewers(
  tx: TenantTx, ctx: OrgContext, campaign: { id: string; name: string; dueAt: Date }, userIds: readonly string[], kind: MailKind, now: Date,
  detail?: { undecided?: number; overdueRevocations?: number },
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { name: true, slug: true } });
  const due = campaign.dueAt.toISOString().slice(0, 10);
  const action = { label: 'Open the access review', url: appLink(reviewPath(org.slug, campaign.id)) };
  const day = now.toISOString().slice(0, 10);
  const queued: string[] = [];
  for (const userId of userIds) {
    const template = kind === 'assigned'
      ? { subject: `[${org.name}] Access review "${campaign.name}": please review by ${due}`, heading: 'You have access rights to review', paragraphs: [`The access review "${campaign.name}" in ${org.name} asks you to keep or revoke who can do what on its clusters, by ${due}.`, 'Keeping a privileged right needs a reason; you never review your own access.'] }
      : kind === 'due'
        ? { subject: `[${org.name}] Access review due ${due}: "${campaign.name}"`, heading: campaign.dueAt < now ? 'An access review is past its due date' : 'An access review is due soon', paragraphs: [`${detail?.undecided ?? 0} item${detail?.undecided === 1 ? '' : 's'} of "${campaign.name}" still wait${detail?.undecided === 1 ? 's' : ''} for your decision (due ${due}).`] }
        : { subject: `[${org.name}] Revoked access still present: "${campaign.name}"`, heading: 'Revoked access is still there after the due date', paragraphs: [`${detail?.overdueRevocations ?? 0} right${detail?.overdueRevocations === 1 ? '' : 's'} revoked in "${campaign.name}" ${detail?.overdueRevocations === 1 ? 'is' : 'are'} still granted by the latest snapshot (due ${due}). Remove the bindings or rules; the next snapshot closes them.`] };
    const written = await writeMail(tx, ctx, {
      to: [{ userId }], category: 'access_review', subject: template.subject,
      template: { heading: template.heading, paragraphs: template.paragraphs, action },
      ...(kind === 'assigned' ? {} : { dedupeKey: `access-review:${kind}:${campaign.id}:${userId}:${day}` }),
    });
    queued.push(...written.queued);
  }
  return queued;
}
