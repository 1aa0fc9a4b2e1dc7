import { auth } from '@/lib/web/auth';
import { sessionMembership } from '@/lib/web/context';
import { AppError, route } from '@/lib/web/respond';
import { ssoRequiredMessage } from '@/lib/platform/auth/membership';
import { downloadReport } from '@/lib/services/reports/read-reports';
import { downloadByExternalLink, openDownloadLink } from '@/lib/services/reports/link-download';

export const dynamic = 'force-dynamic';

/** RFC 6266: an ASCII fallback name plus the exact name, percent-encoded. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * A scheduled report's mailed link (issue 20). The signature and expiry are checked first (altered: 404, expired:
 * 410). A member's link then needs that member signed in: signed out, to sign-in and back here; signed in as
 * someone else, 403; the download itself goes through the member's own permissions and is audited. An approved
 * external auditor's link works on its own while the address stays approved (lib/services/reports/link-download.ts).
 */
export const GET = route(async (request: Request, { params }: { params: Promise<{ token: string }> }) => {
  const { token } = await params;
  const { link, organizationSlug } = await openDownloadLink(token);
  let file: Awaited<ReturnType<typeof downloadReport>>;
  if (link.recipient.kind === 'member') {
    const session = await auth();
    if (!session) {
      const back = new URL(request.url).pathname;
      return new Response(null, { status: 303, headers: { Location: `/sign-in?callbackUrl=${encodeURIComponent(back)}`, 'Cache-Control': 'no-store' } });
    }
    if (session.user.id !== link.recipient.userId) throw new AppError('forbidden', 'This link was sent to another person; sign in as its recipient or download the report from the archive');
    const membership = await sessionMembership(organizationSlug, request.headers);
    if (!membership || membership.kind === 'not_found') throw new AppError('not_found', 'Download link not found');
    if (membership.kind === 'sso_required') throw new AppError('forbidden', ssoRequiredMessage(membership));
    file = await downloadReport(membership.ctx, link.reportId);
  } else {
    file = await downloadByExternalLink(link, organizationSlug);
  }
  return new Response(file.content, {
    status: 200,
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': contentDisposition(file.fileName),
      'Content-Length': String(file.content.byteLength),
      'X-Content-SHA256': file.sha256,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      'Referrer-Policy': 'no-referrer',
    },
  });
});
