import { AppError, issuesFromZod } from '../../platform/errors';
import { dbFor } from '../../platform/db/tenant';
import { advisoryXactLock } from '../../platform/db/locks';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { enqueueReport } from '../../platform/queue/producers';
import { logger } from '../../platform/log';
import { env } from '../../platform/env';
import { checkOrgFrameworkReport } from './org-framework-check';
import { RequestReportSchema, resolvePeriodBound, type RequestReportInput } from './schemas';

const log = logger.child({ component: 'reports' });

type Period = {
  start: Date; end: Date;
  /** the ends an identical request may have had (today's end is "now") */ sameEnd: { gte: Date; lte: Date };
  /** "up to today": the period ends at the request's own "now" */ endsNow: boolean;
};

/** A calendar-day end that is today means "up to now"; an explicit time in the future is an error. */
function periodOf(input: { periodStart: string; periodEnd: string }, now: Date): Period {
  const start = resolvePeriodBound(input.periodStart, 'start');
  let end = resolvePeriodBound(input.periodEnd, 'end');
  let sameEnd = { gte: end, lte: end };
  let endsNow = false;
  const isDay = !input.periodEnd.includes('T');
  if (isDay && end > now && resolvePeriodBound(input.periodEnd, 'start') <= now) {
    // "Up to today" asked twice a minute apart is the same request, though each would end at its own "now".
    sameEnd = { gte: resolvePeriodBound(input.periodEnd, 'start'), lte: now };
    end = now;
    endsNow = true;
  }
  if (end > now) throw new AppError('invalid', 'The period cannot end in the future', [{ path: 'periodEnd', message: 'must not be after now' }]);
  if (end < start) throw new AppError('invalid', 'The period ends before it starts', [{ path: 'periodEnd', message: 'must not be before periodStart' }]);
  return { start, end, sameEnd, endsNow };
}

const REPORT_SELECT = { id: true, status: true, progress: true, frameworkId: true, format: true, periodStart: true, periodEnd: true, clusterIds: true, createdAt: true } as const;
const PENDING = ['QUEUED', 'RUNNING'] as const;
/**
 * A report still QUEUED or RUNNING after this long has lost its job (a worker that died past its retries never
 * marks the row): it neither counts against the cap nor stands in for a new request, so it cannot lock an
 * organization out of reports for good.
 */
const ABANDONED_AFTER_MS = 24 * 3600_000;

/**
 * Records a report request (QUEUED) and queues its generation. The row is written first so the worker always
 * finds it; if the queue is unreachable the row is marked FAILED, the failure is audited, and the caller gets
 * 503 to retry. A cluster id that is not the organization's is answered like one that does not exist (404).
 *
 * While an identical report (framework, format, clusters, period) is queued or running, that one is returned
 * (`duplicate: true`) and nothing is written. An organization has at most REPORTS_MAX_PENDING_PER_ORG reports
 * queued or running; past that the request is refused (429, Retry-After), so one tenant cannot fill the queue.
 */
export async function requestReport(ctx: OrgContext, input: RequestReportInput, now: Date = new Date()) {
  authorize(ctx, 'report.generate');
  const parsed = RequestReportSchema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid', 'Invalid report request', issuesFromZod(parsed.error.issues));
  const data = parsed.data;
  const period = periodOf(data, now);
  // Sorted, so the same clusters in another order are the same request.
  const clusterIds = [...new Set(data.clusterIds)].sort();
  const db = dbFor(ctx);

  const report = await db.$transaction(async (tx) => {
    if (clusterIds.length > 0) {
      const found = await tx.cluster.count({ where: { id: { in: clusterIds } } });
      if (found !== clusterIds.length) throw new AppError('not_found', 'Cluster not found');
    }
    // The organization's own framework (issue 23): it must be one of this organization's; no OSCAL for it.
    await checkOrgFrameworkReport(tx, data.frameworkId, data.format);
    // One request of this organization at a time from here to commit: the duplicate lookup and the cap count
    // must see every earlier request, or two identical requests sent at once would both be queued.
    await advisoryXactLock(tx, 'reportRequest', ctx.organizationId);
    const live = { status: { in: [...PENDING] }, createdAt: { gt: new Date(now.getTime() - ABANDONED_AFTER_MS) } };
    // An identical "up to today" request that took the lock first may have read the clock after this one did: every
    // such request committed so far ended before this moment, whatever this request's own "now".
    const sameEnd = period.endsNow ? { gte: period.sameEnd.gte, lte: new Date(Math.max(period.sameEnd.lte.getTime(), Date.now())) } : period.sameEnd;
    const existing = await tx.report.findFirst({
      where: { ...live, frameworkId: data.frameworkId, format: data.format, periodStart: period.start, periodEnd: sameEnd, clusterIds: { equals: clusterIds } },
      orderBy: { createdAt: 'desc' },
      select: REPORT_SELECT,
    });
    if (existing) return { ...existing, duplicate: true };
    const pending = await tx.report.count({ where: live });
    const cap = env().REPORTS_MAX_PENDING_PER_ORG;
    if (pending >= cap) {
      throw new AppError('rate_limited', `This organization already has ${pending} reports queued or running (at most ${cap}); request another when one is done`, [], { 'Retry-After': '30' });
    }
    const row = await tx.report.create({
      data: {
        organizationId: ctx.organizationId, frameworkId: data.frameworkId, format: data.format, periodStart: period.start, periodEnd: period.end,
        clusterIds, requestedById: actorUserId(ctx),
      },
      select: REPORT_SELECT,
    });
    await writeAudit(tx, ctx, {
      action: 'report.requested', targetType: 'Report', targetId: row.id,
      after: { frameworkId: row.frameworkId, format: row.format, periodStart: row.periodStart, periodEnd: row.periodEnd, clusterIds: row.clusterIds },
    });
    return { ...row, duplicate: false };
  });
  if (report.duplicate) return report;

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
