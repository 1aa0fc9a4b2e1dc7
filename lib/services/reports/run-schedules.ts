import { systemContext } from '../../platform/auth/context';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { isAppError } from '../../platform/errors';
import { logger } from '../../platform/log';
import { nextRunAfter } from './schedule-schemas';
import { requestScheduledReport } from './schedules';

const log = logger.child({ component: 'report-schedules' });

/** A run refused for now (the organization's report cap, the queue away) is tried again this much later. */
export const RETRY_AFTER_MS = 5 * 60_000;
const BATCH = 100;

/**
 * The maintenance tick: each enabled schedule whose nextRunAt has come is claimed by moving nextRunAt to the
 * cron's next time after now (a compare-and-set on the old value, so two workers never run the same schedule
 * twice). A schedule whose runs were missed while the worker was down runs once when it is back (its nextRunAt is
 * in the past), not once per missed period: the next run is planned after now. The scan crosses organizations on
 * purpose and is served by the partial index "ReportSchedule_nextRunAt_idx" (enabled schedules by nextRunAt). Its report
 * is requested through the ordinary request path (per-organization cap, dedup, audit). A request refused for now
 * (429, 503) is retried in five minutes; any other refusal (a cluster deleted since) is recorded as the schedule's
 * last error. Returns how many reports were requested.
 */
export async function runDueSchedules(now: Date = new Date()): Promise<{ requested: number; failed: number }> {
  const due = await systemDb().reportSchedule.findMany({
    where: { enabled: true, nextRunAt: { lte: now } },
    orderBy: { nextRunAt: 'asc' },
    take: BATCH,
    select: { id: true, organizationId: true, frameworkId: true, format: true, clusterIds: true, period: true, cron: true, timeZone: true, nextRunAt: true },
  });
  let requested = 0;
  let failed = 0;
  for (const schedule of due) {
    const org = await systemDb().organization.findUnique({ where: { id: schedule.organizationId }, select: { slug: true } });
    const ctx = systemContext(schedule.organizationId, 'report-schedule', org?.slug ?? '');
    const db = dbFor(ctx);
    const claimed = await db.reportSchedule.updateMany({
      where: { id: schedule.id, enabled: true, nextRunAt: schedule.nextRunAt },
      data: { nextRunAt: nextRunAfter(schedule.cron, schedule.timeZone, now) },
    });
    if (claimed.count === 0) continue;
    try {
      await requestScheduledReport(ctx, schedule, now);
      requested += 1;
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? error.message : String(error);
      const retry = isAppError(error) && (error.code === 'rate_limited' || error.code === 'unavailable');
      log.warn({ organizationId: schedule.organizationId, scheduleId: schedule.id, err: message, retry }, 'scheduled report not requested');
      await db.reportSchedule.update({
        where: { id: schedule.id },
        data: { lastError: message.slice(0, 500), ...(retry ? { nextRunAt: new Date(now.getTime() + RETRY_AFTER_MS) } : {}) },
      });
    }
  }
  return { requested, failed };
}
