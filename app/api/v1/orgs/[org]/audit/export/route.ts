import { orgRoute } from '@/lib/web/org-route';
import { exportAuditCsv } from '@/lib/services/audit/export-audit';
import { AuditQuerySchema } from '@/lib/services/audit/list-audit';

export const dynamic = 'force-dynamic';

/** The filtered audit log as CSV, oldest first (the order the hash chain is verified in), streamed. */
export const GET = orgRoute({ query: AuditQuerySchema }, async ({ ctx, query }) => {
  const stream = await exportAuditCsv(ctx, query);
  // The slug is [a-z0-9-] by construction; filtering again keeps the header safe whatever it holds.
  const filename = `audit-${ctx.organizationSlug.replace(/[^a-z0-9-]/gi, '') || 'org'}.csv`;
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename=${filename}`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
});
