import { FRAMEWORKS } from '../../analysis/frameworks';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { logger } from '../../platform/log';
import { queueMailDeliveries, writeMail } from '../mail/send-mail';
import { EXTERNAL_LINK_TTL_MS, MEMBER_LINK_TTL_MS, downloadLinkUrl, signDownloadLink, type LinkRecipient } from './download-link';
import { RECIPIENT_ROLES } from './schedule-schemas';

const log = logger.child({ component: 'report-schedules' });

function frameworkLabel(id: string): string {
  const framework = FRAMEWORKS.find((f) => f.id === id);
  return framework ? `${framework.name} ${framework.version}` : id;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * After a report is generated: every schedule whose last run requested it mails each recipient a signed, expiring
 * download link (never the file). Claiming the schedule (lastMailedReportId set by the statement that checks it)
 * and writing every recipient's MailMessage happen in one transaction, so the report is mailed once even if the
 * worker retries or two workers race, and a crash between the two can no longer leave it marked mailed with nobody
 * mailed: either both commit or neither. The messages go to the mail queue after the commit; the mail outbox sweep
 * queues any whose enqueue was lost. Recipients are checked again at sending time (a member who left or lost the
 * role, an address no longer approved, gets nothing). Returns how many mails were queued.
 */
export async function mailScheduledReport(ctx: OrgContext, reportId: string, now: Date = new Date()): Promise<number> {
  const db = dbFor(ctx);
  const report = await db.report.findUnique({ where: { id: reportId }, select: { id: true, status: true, frameworkId: true, format: true, periodStart: true, periodEnd: true, fileName: true, sha256: true } });
  if (!report || report.status !== 'DONE') return 0;
  const schedules = await db.reportSchedule.findMany({ where: { lastReportId: reportId }, select: { id: true, lastMailedReportId: true } });
  let queued = 0;
  for (const { id: scheduleId, lastMailedReportId } of schedules) {
    if (lastMailedReportId === reportId) continue;
    const written = await db.$transaction(async (tx) => {
      const claimed = await tx.reportSchedule.updateMany({
        where: { id: scheduleId, lastReportId: reportId, OR: [{ lastMailedReportId: null }, { lastMailedReportId: { not: reportId } }] },
        data: { lastMailedReportId: reportId },
      });
      if (claimed.count === 0) return null;
      const schedule = await tx.reportSchedule.findUniqueOrThrow({ where: { id: scheduleId }, select: { recipientUserIds: true, recipientEmails: true } });
      const [members, approved] = await Promise.all([
        schedule.recipientUserIds.length ? tx.membership.findMany({ where: { userId: { in: schedule.recipientUserIds }, role: { in: [...RECIPIENT_ROLES] } }, select: { userId: true } }) : [],
        schedule.recipientEmails.length ? tx.reportExternalRecipient.findMany({ where: { email: { in: schedule.recipientEmails } }, select: { email: true } }) : [],
      ]);
      const recipients: LinkRecipient[] = [
        ...members.map((m) => ({ kind: 'member' as const, userId: m.userId })),
        ...approved.map((a) => ({ kind: 'external' as const, email: a.email })),
      ];
      const messageIds: string[] = [];
      for (const recipient of recipients) {
        const expiresAt = new Date(now.getTime() + (recipient.kind === 'member' ? MEMBER_LINK_TTL_MS : EXTERNAL_LINK_TTL_MS));
        const url = downloadLinkUrl(signDownloadLink({ reportId, organizationId: ctx.organizationId, recipient, expiresAt }));
        const title = `${frameworkLabel(report.frameworkId)} report, ${day(report.periodStart)} to ${day(report.periodEnd)}`;
        const result = await writeMail(tx, ctx, {
          to: [recipient.kind === 'member' ? { userId: recipient.userId } : { email: recipient.email }],
          category: 'scheduled_report',
          subject: `Scheduled report: ${title}`,
          template: {
            heading: title,
            paragraphs: [
              `Your scheduled ${report.format} report has been generated and stored in the organization's report archive.`,
              recipient.kind === 'member'
                ? 'Download it with the link below; you will be asked to sign in.'
                : 'Download it with the link below; it works for this address only, while the organization keeps it approved.',
              `SHA-256 of the file: ${report.sha256 ?? 'unknown'}. Anyone can check the file at /verify.`,
            ],
            action: { label: 'Download the report', url },
            footnote: `The link expires on ${expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC. The file itself is never attached to mail.`,
          },
        });
        messageIds.push(...result.queued);
      }
      return { messageIds, recipients: recipients.length };
    });
    if (!written) continue;
    await queueMailDeliveries(ctx.organizationId, written.messageIds);
    queued += written.messageIds.length;
    log.info({ organizationId: ctx.organizationId, scheduleId, reportId, recipients: written.recipients }, 'scheduled report links mailed');
  }
  return queued;
}

/** The worker's hook after a successful generation, by organization and report id. */
export async function afterReportGenerated(organizationId: string, reportId: string): Promise<number> {
  return mailScheduledReport(systemContext(organizationId, 'scheduled-report-mail'), reportId);
}
