import { systemContext } from '../../platform/auth/context';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { verifyDownloadLink, type DownloadLink } from './download-link';
import { downloadReport } from './read-reports';

/**
 * A mailed download link, checked: the signature (tampered or malformed: 404, as if no such link existed), then
 * the expiry (410 Gone), then the organization (deleted: 404). Members' links then need the member signed in
 * (the route does that); external auditors' links are used by `downloadByExternalLink`.
 */
export async function openDownloadLink(token: string, now: Date = new Date()): Promise<{ link: DownloadLink; organizationSlug: string }> {
  const checked = verifyDownloadLink(token, now);
  if (!checked.ok) {
    if (checked.reason === 'expired') throw new AppError('gone', 'This download link has expired; ask for the report again or download it from the archive');
    throw new AppError('not_found', 'Download link not found');
  }
  const organization = await systemDb().organization.findUnique({ where: { id: checked.link.organizationId }, select: { slug: true } });
  if (!organization) throw new AppError('not_found', 'Download link not found');
  return { link: checked.link, organizationSlug: organization.slug };
}

/**
 * An approved external auditor's link: the signed link alone admits them (they have no account), for its 72
 * hours, and only while the organization keeps the address approved. The download is audited like any other
 * (`report.downloaded`, the actor naming the address).
 */
export async function downloadByExternalLink(link: DownloadLink, organizationSlug: string) {
  if (link.recipient.kind !== 'external') throw new AppError('forbidden', 'This link is for a member; sign in to use it');
  const ctx = systemContext(link.organizationId, `report link for ${link.recipient.email}`, organizationSlug);
  const approved = await dbFor(ctx).reportExternalRecipient.findUnique({ where: { organizationId_email: { organizationId: link.organizationId, email: link.recipient.email } }, select: { id: true } });
  if (!approved) throw new AppError('forbidden', 'This address is no longer approved to receive the organization\'s reports');
  return downloadReport(ctx, link.reportId);
}
