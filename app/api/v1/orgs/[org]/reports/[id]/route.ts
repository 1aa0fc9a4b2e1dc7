import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { getReportStatus } from '@/lib/services/reports/read-reports';

export const dynamic = 'force-dynamic';

/** Status, progress and, once DONE, file name, size and SHA-256 of one report. */
export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => json({ report: await getReportStatus(ctx, params.id) }));
