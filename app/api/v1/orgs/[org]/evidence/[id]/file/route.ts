import { orgRoute } from '@/lib/web/org-route';
import { AppError } from '@/lib/platform/errors';
import { isUuid } from '@/lib/platform/input';
import { evidenceFile } from '@/lib/services/evidence/evidence';

export const dynamic = 'force-dynamic';

/** RFC 6266: an ASCII fallback name plus the exact name, percent-encoded. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * An evidence file, always as an attachment with nosniff and a sandboxing policy, so nothing uploaded is ever
 * rendered in our origin (HTML and SVG are refused at upload anyway; text is served as text/plain).
 */
export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => {
  if (!isUuid(params.id)) throw new AppError('not_found', 'Evidence file not found');
  const file = await evidenceFile(ctx, params.id);
  return new Response(Buffer.from(file.bytes), {
    status: 200,
    headers: {
      'Content-Type': file.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : file.contentType,
      'Content-Disposition': contentDisposition(file.fileName),
      'Content-Length': String(file.bytes.byteLength),
      'X-Content-SHA256': file.sha256,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
    },
  });
});
