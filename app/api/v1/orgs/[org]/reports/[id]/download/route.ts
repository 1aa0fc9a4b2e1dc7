import { orgRoute } from '@/lib/web/org-route';
import { downloadReport } from '@/lib/services/reports/read-reports';

export const dynamic = 'force-dynamic';

/** RFC 6266: an ASCII fallback name plus the exact name, percent-encoded. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** The report file as issued; X-Content-SHA256 is what `npm run admin -- report:verify` checks. */
export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => {
  const file = await downloadReport(ctx, params.id);
  return new Response(file.content, {
    status: 200,
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': contentDisposition(file.fileName),
      'Content-Length': String(file.content.byteLength),
      'X-Content-SHA256': file.sha256,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  });
});
