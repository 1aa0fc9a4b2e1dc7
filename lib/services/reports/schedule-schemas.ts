import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { PERMISSIONS } from '../../platform/auth/permissions';
import type { Role } from '../../platform/db/client';
import { OrgFrameworkReportIdSchema, REPORT_FRAMEWORK_IDS } from './schemas';

/** Scheduled reports (issue 20): what a schedule is, when it runs next, and which period each run covers. */

/** Formats a schedule may produce (the issue's PDF, CSV and OSCAL; JSON stays an on-demand export). */
export const SCHEDULE_FORMATS = ['PDF', 'CSV', 'OSCAL'] as const;
export const SCHEDULE_PERIODS = ['last_30_days', 'previous_month', 'previous_quarter'] as const;
export type SchedulePeriod = (typeof SCHEDULE_PERIODS)[number];
export const SCHEDULE_PERIOD_LABELS: Record<SchedulePeriod, string> = {
  last_30_days: 'Last 30 days',
  previous_month: 'Previous calendar month',
  previous_quarter: 'Previous calendar quarter',
};

/** Roles whose members may receive a scheduled report: those allowed to download it. */
export const RECIPIENT_ROLES: readonly Role[] = PERMISSIONS['report.download'];

/** A schedule may not run more often than this: each run writes a report to the archive and mails its recipients. */
export const MIN_SCHEDULE_INTERVAL_MS = 3_600_000;
const INTERVAL_PROBES = 24;

/** True when `timeZone` is an IANA zone this runtime knows (Intl throws a RangeError for anything else). */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Why a five-field cron expression is unusable in `timeZone`, or null when it is fine. */
export function cronProblem(cron: string, timeZone: string): string | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return 'must have five fields: minute hour day-of-month month day-of-week';
  let times: number[];
  try {
    const iterator = CronExpressionParser.parse(cron, { tz: isTimeZone(timeZone) ? timeZone : 'UTC', currentDate: new Date('2026-01-01T00:00:00Z') });
    times = Array.from({ length: INTERVAL_PROBES }, () => iterator.next().getTime());
  } catch (error) {
    return `is not a valid cron expression (${(error as Error).message})`;
  }
  for (let i = 1; i < times.length; i++) {
    if (times[i]! - times[i - 1]! < MIN_SCHEDULE_INTERVAL_MS) return 'must not run more than once an hour';
  }
  return null;
}

/** The first run strictly after `after`, in the schedule's time zone (cron-parser handles DST gaps and repeats). */
export function nextRunAfter(cron: string, timeZone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { tz: timeZone, currentDate: after }).next().toDate();
}

/** The last instant at or before `at` matching `cron` in `timeZone`. */
function lastAtOrBefore(cron: string, timeZone: string, at: Date): Date {
  return CronExpressionParser.parse(cron, { tz: timeZone, currentDate: new Date(at.getTime() + 1) }).prev().toDate();
}

/**
 * The period a run at `runAt` covers, as ISO datetimes for the ordinary request path. Calendar months and quarters
 * are the schedule's time zone's (a Berlin schedule's "previous month" starts at midnight in Berlin); the period
 * ends a millisecond before the current month or quarter starts.
 */
export function periodForRun(period: SchedulePeriod, timeZone: string, runAt: Date): { periodStart: string; periodEnd: string } {
  if (period === 'last_30_days') {
    return { periodStart: new Date(runAt.getTime() - 30 * 86_400_000).toISOString(), periodEnd: runAt.toISOString() };
  }
  const boundary = period === 'previous_month' ? '0 0 1 * *' : '0 0 1 1,4,7,10 *';
  const currentStart = lastAtOrBefore(boundary, timeZone, runAt);
  const previousStart = lastAtOrBefore(boundary, timeZone, new Date(currentStart.getTime() - 1));
  return { periodStart: previousStart.toISOString(), periodEnd: new Date(currentStart.getTime() - 1).toISOString() };
}

const Email = z.email().max(254).transform((value) => value.toLowerCase());

/** A schedule's fields, without defaults: the create schema adds them, the v1 PATCH takes any subset. */
const SCHEDULE_FIELDS = {
  /** A catalog framework, or the organization's own (`org:<key>`: PDF or CSV). */
  frameworkId: z.union([z.enum(REPORT_FRAMEWORK_IDS), OrgFrameworkReportIdSchema]),
  format: z.enum(SCHEDULE_FORMATS),
  /** Empty: every cluster of the organization. */
  clusterIds: z.array(z.uuid()).max(200),
  period: z.enum(SCHEDULE_PERIODS),
  cron: z.string().trim().min(9).max(120),
  timeZone: z.string().trim().min(1).max(64).refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' }),
  recipientUserIds: z.array(z.uuid()).max(50),
  recipientEmails: z.array(Email).max(50),
};

export const CreateScheduleSchema = z.object({
  ...SCHEDULE_FIELDS,
  clusterIds: SCHEDULE_FIELDS.clusterIds.default([]),
  recipientUserIds: SCHEDULE_FIELDS.recipientUserIds.default([]),
  recipientEmails: SCHEDULE_FIELDS.recipientEmails.default([]),
}).superRefine((value, ctx) => {
  if (isTimeZone(value.timeZone)) {
    const problem = cronProblem(value.cron, value.timeZone);
    if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: problem });
  }
  if (value.recipientUserIds.length + value.recipientEmails.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['recipientUserIds'], message: 'choose at least one recipient' });
  }
});
/**
 * The v1 API's PATCH body: any of the fields, and `enabled`. The schedule it leaves is validated whole with
 * CreateScheduleSchema (a new cron in the old time zone, the last recipient removed), so the rules live once.
 */
export const PatchScheduleBodySchema = z.object(SCHEDULE_FIELDS).partial().extend({ enabled: z.boolean().optional() }).strict();
export const UpdateScheduleSchema = PatchScheduleBodySchema.extend({ scheduleId: z.uuid() });
export type CreateScheduleInput = z.input<typeof CreateScheduleSchema>;

export const ScheduleIdSchema = z.object({ scheduleId: z.uuid() });
export const SetScheduleEnabledSchema = z.object({ scheduleId: z.uuid(), enabled: z.boolean() });
export const ExternalRecipientSchema = z.object({ email: Email });
export const ExternalRecipientIdSchema = z.object({ recipientId: z.uuid() });
