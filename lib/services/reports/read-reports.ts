import { writeAudit } from '../audit/write-audit';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { createPeople } from './people';
import { ReportIdSchema } from './schemas';

const SUMMARY_SELECT = {
  id: true, frameworkId: true, format: true, periodStart: true, periodEnd: true, clusterIds: true, status: true, progress: true,
  fileName: true, contentType: true, sha256: true, sizeBytes: true, error: true, requestedById: true, createdAt: true, finishedAt: true,
} as const;

function reportId(id: string): string {
  // A malformed id is answered like an unknown one: not found, never a database error.
  if (!ReportIdSchema.safeParse(id).success) throw new AppError('not_found', 'Report not found');
  return id;
}

/** The report archive, newest first: what was asked for, by whom, and where each report stands. */
export async function listReports(ctx: OrgContext, options: { limit?: number } = {}) {
  authorize(ctx, 'report.read');
  const db = dbFor(ctx);
  const rows = await db.report.findMany({ orderBy: { createdAt: 'desc' }, take: Math.min(options.limit ?? 100, 500), select: SUMMARY_SELECT });
  const people = createPeople(db);
  await people.load(rows.map((row) => row.requestedById));
  const clusterIds = [...new Set(rows.flatMap((row) => row.clusterIds))];
  const clusters = new Map(clusterIds.length === 0 ? [] : (await db.cluster.findMany({ where: { id: { in: clusterIds } }, select: { id: true, name: true } })).map((c) => [c.id, c.name]));
  return rows.map((row) => ({
    ...row,
    requestedBy: row.requestedById ? people.user(row.requestedById) : null,
    scope: row.clusterIds.length === 0 ? 'All clusters' : row.clusterIds.map((id) => clusters.get(id) ?? 'deleted cluster').join(', '),
  }));
}
export type ReportSummaryRow = Awaited<ReturnType<typeof listReports>>[number];

/** One report's status and progress (no content). */
export async function getReportStatus(ctx: OrgContext, id: string) {
  authorize(ctx, 'report.read');
  const report = await dbFor(ctx).report.findUnique({ where: { id: reportId(id) }, select: SUMMARY_SELECT });
  if (!report) throw new AppError('not_found', 'Report not found');
  return report;
}

/**
 * The stored file of a finished report, audited as `report.downloaded`. Another organization's id is 404
 * (the tenant client cannot see it); a report still queued, running or failed is 409.
 */
export async function downloadReport(ctx: OrgContext, id: string): Promise<{ fileName: string; contentType: string; content: Uint8Array<ArrayBuffer>; sha256: string }> {
  authorize(ctx, 'report.download');
  return dbFor(ctx).$transaction(async (tx) => {
    const report = await tx.report.findUnique({
      where: { id: reportId(id) },
      omit: { content: false },
    });
    if (!report) throw new AppError('not_found', 'Report not found');
    if (report.status !== 'DONE' || !report.content || !report.sha256 || !report.fileName || !report.contentType) {
      throw new AppError('conflict', `The report is not ready (${report.status.toLowerCase()})`);
    }
    await writeAudit(tx, ctx, { action: 'report.downloaded', targetType: 'Report', targetId: report.id, after: { fileName: report.fileName, sha256: report.sha256, sizeBytes: report.sizeBytes } });
    return { fileName: report.fileName, contentType: report.contentType, content: report.content, sha256: report.sha256 };
  });
}
