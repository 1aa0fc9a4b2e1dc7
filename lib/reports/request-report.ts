import { AppError, issuesFromZod } from '../errors';
import { dbFor } from '../db/tenant';
import { authorize } from '../auth/permissions';
import { actorUserId, type OrgContext } from '../auth/context';
import { writeAudit } from '../audit/write-audit';
import { enqueueReport } from '../queue/producers';
import { logger } from '../log';
import { RequestReportSchema, resolvePeriodBound, type RequestReportInput } from './schemas';

const log = logger.child({ component: 'reports' });

/** A calendar-day end that is today means "up to now"; an explicit time in the future is an error. */
function periodOf(input: { periodStart: string; periodEnd: string }, now: Date): { start: Date; end: Date } {
  const start = resolvePeriodBound(input.periodStart, 'start');
  let end = resolvePeriodBound(input.periodEnd, 'end');
  const isDay = !input.periodEnd.includes('T');
  if (isDay && end > now && resolvePeriodBound(input.periodEnd, 'start') <= now) end = now;
  if (end > now) throw new AppError('invalid', 'The period cannot end in the future', [{ path: 'periodEnd', message: 'must not be after now' }]);
  if (end < start) throw new AppError('invalid', 'The period ends before it starts', [{ path: 'periodEnd', message: 'must not be before periodStart' }]);
  return { start, end };
}

/**
 * Records a report request (QUEUED) and queues its generation. The row is written first so the worker always
 * finds it; if the queue is unreachable the row is marked FAILED, the failure is audited, and the caller gets
 * 503 to retry. A cluster id that is not the organization's is answered like one that does not exist (404).
 */
export async function requestReport(ctx: OrgContext, input: RequestReportInput, now: Date = new Date()) {
  authorize(ctx, 'report.generate');
  const parsed = RequestReportSchema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid', 'Invalid report request', issuesFromZod(parsed.error.issues));
  const data = parsed.data;
  const period = periodOf(data, now);
  const clusterIds = [...new Set(data.clusterIds)];
  const db = dbFor(ctx);

  const report = await db.$transaction(async (tx) => {
    if (clusterIds.length > 0) {
      const found = await tx.cluster.count({ where: { id: { in: clusterIds } } });
      if (found !== clusterIds.length) throw new AppError('not_found', 'Cluster not found');
    }
    const row = await tx.report.create({
      data: {
        organizationId: ctx.organizationId, frameworkId: data.frameworkId, format: data.format, periodStart: period.start, periodEnd: period.end,
        clusterIds, requestedById: actorUserId(ctx),
      },
      select: { id: true, status: true, progress: true, frameworkId: true, format: true, periodStart: true, periodEnd: true, clusterIds: true, createdAt: true },
    });
    await writeAudit(tx, ctx, {
      action: 'report.requested', targetType: 'Report', targetId: row.id,
      after: { frameworkId: row.frameworkId, format: row.format, periodStart: row.periodStart, periodEnd: row.periodEnd, clusterIds: row.clusterIds },
    });
    return row;
  });

  try {
    await enqueueReport({ organizationId: ctx.organizationId, reportId: report.id });
  } catch (error) {
    log.warn({ organizationId: ctx.organizationId, reportId: report.id, err: (error as Error).message }, 'report queue unavailable');
    const message = 'The report queue was unavailable; request the report again.';
    await db.$transaction(async (tx) => {
      await tx.report.update({ where: { id: report.id }, data: { status: 'FAILED', error: message, finishedAt: new Date() } });
      await writeAudit(tx, ctx, { action: 'report.failed', targetType: 'Report', targetId: report.id, after: { error: message } });
    });
    throw new AppError('unavailable', 'Reports cannot be queued right now; try again in a minute', [], { 'Retry-After': '30' });
  }
  return report;
}
