import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { listReports } from '@/lib/services/reports/read-reports';
import { requestReport } from '@/lib/services/reports/request-report';
import { RequestReportSchema } from '@/lib/services/reports/schemas';

export const dynamic = 'force-dynamic';

/** The report archive, newest first (no file content; download each report from its own URL). */
export const GET = orgRoute({}, async ({ ctx }) => json({ items: await listReports(ctx) }));

/**
 * 202: the report is queued; poll its Location for status and progress. While an identical report is queued or
 * running, that one is answered (`report.duplicate: true`); past the organization's cap of pending reports, 429.
 */
export const POST = orgRoute({ body: RequestReportSchema }, async ({ ctx, params, body }) => {
  const report = await requestReport(ctx, body);
  return json({ report }, 202, { Location: `/api/v1/orgs/${params.org}/reports/${report.id}` });
});
