import { writeAudit } from '../audit/write-audit';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { isUuid, parseInput } from '../../platform/input';
import { checkOrgFrameworkReport } from './org-framework-check';
import { requestReport } from './request-report';
import {
  CreateScheduleSchema, ExternalRecipientIdSchema, ExternalRecipientSchema, ScheduleIdSchema, SetScheduleEnabledSchema, UpdateScheduleSchema,
  RECIPIENT_ROLES, nextRunAfter, periodForRun, type SchedulePeriod,
} from './schedule-schemas';
import { mailScheduledReport } from './schedule-delivery';


const SCHEDULE_SELECT = {
  id: true, frameworkId: true, format: true, clusterIds: true, period: true, cron: true, timeZone: true, recipientUserIds: true,
  recipientEmails: true, createdById: true, enabled: true, nextRunAt: true, lastRunAt: true, lastReportId: true, lastError: true, createdAt: true,
} as const;

/**
 * Recipients must be the organization's members allowed to download reports, or addresses an owner or admin
 * approved. Anyone else is refused by name (400 on the field), so a schedule never mails outside the organization's
 * choice.
 */
async function checkRecipients(tx: TenantTx, userIds: string[], emails: string[]): Promise<void> {
  if (userIds.length > 0) {
    const members = await tx.membership.findMany({ where: { userId: { in: userIds }, role: { in: [...RECIPIENT_ROLES] } }, select: { userId: true } });
    const allowed = new Set(members.map((member) => member.userId));
    const refused = userIds.filter((id) => !allowed.has(id));
    if (refused.length > 0) {
      throw new AppError('invalid', 'Some recipients are not members allowed to download reports', refused.map((id) => ({ path: 'recipientUserIds', message: `${id} is not an owner, admin or auditor of this organization` })));
    }
  }
  if (emails.length > 0) {
    const approved = await tx.reportExternalRecipient.findMany({ where: { email: { in: emails } }, select: { email: true } });
    const allowed = new Set(approved.map((row) => row.email));
    const refused = emails.filter((email) => !allowed.has(email));
    if (refused.length > 0) {
      throw new AppError('invalid', 'Some addresses are not approved external recipients', refused.map((email) => ({ path: 'recipientEmails', message: `${email} is not on the approved list (Settings → Report recipients)` })));
    }
  }
}

/** A new schedule; its first run is the cron's first time after now. Audited. */
export async function createSchedule(ctx: OrgContext, input: unknown, now: Date = new Date()) {
  authorize(ctx, 'report.schedule');
  const data = parseInput(CreateScheduleSchema, input);
  const clusterIds = [...new Set(data.clusterIds)].sort();
  const recipientUserIds = [...new Set(data.recipientUserIds)];
  const recipientEmails = [...new Set(data.recipientEmails)];
  return dbFor(ctx).$transaction(async (tx) => {
    if (clusterIds.length > 0) {
      const found = await tx.cluster.count({ where: { id: { in: clusterIds } } });
      if (found !== clusterIds.length) throw new AppError('not_found', 'Cluster not found');
    }
    await checkRecipients(tx, recipientUserIds, recipientEmails);
    await checkOrgFrameworkReport(tx, data.frameworkId, data.format);
    const schedule = await tx.reportSchedule.create({
      data: {
        organizationId: ctx.organizationId, frameworkId: data.frameworkId, format: data.format, clusterIds, period: data.period,
        cron: data.cron.trim().replace(/\s+/g, ' '), timeZone: data.timeZone, recipientUserIds, recipientEmails,
        createdById: actorUserId(ctx), nextRunAt: nextRunAfter(data.cron, data.timeZone, now),
      },
      select: SCHEDULE_SELECT,
    });
    await writeAudit(tx, ctx, {
      action: 'report_schedule.created', targetType: 'ReportSchedule', targetId: schedule.id,
      after: { frameworkId: schedule.frameworkId, format: schedule.format, period: schedule.period, cron: schedule.cron, timeZone: schedule.timeZone, clusterIds, recipientUserIds, recipientEmails },
    });
    return schedule;
  });
}

/** The organization's schedules, next run first, with recipients' names. */
export async function listSchedules(ctx: OrgContext) {
  authorize(ctx, 'report.read');
  const db = dbFor(ctx);
  const rows = await db.reportSchedule.findMany({ orderBy: [{ enabled: 'desc' }, { nextRunAt: 'asc' }], take: 200, select: SCHEDULE_SELECT });
  const userIds = [...new Set(rows.flatMap((row) => row.recipientUserIds))];
  const clusterIds = [...new Set(rows.flatMap((row) => row.clusterIds))];
  const [users, clusters] = await Promise.all([
    userIds.length ? db.membership.findMany({ where: { userId: { in: userIds } }, select: { userId: true, user: { select: { email: true, name: true } } } }) : [],
    clusterIds.length ? db.cluster.findMany({ where: { id: { in: clusterIds } }, select: { id: true, name: true } }) : [],
  ]);
  const userLabel = new Map(users.map((m) => [m.userId, m.user.name ?? m.user.email]));
  const clusterName = new Map(clusters.map((c) => [c.id, c.name]));
  return rows.map((row) => ({
    ...row,
    recipients: [...row.recipientUserIds.map((id) => userLabel.get(id) ?? 'former member'), ...row.recipientEmails],
    scope: row.clusterIds.length === 0 ? 'All clusters' : row.clusterIds.map((id) => clusterName.get(id) ?? 'deleted cluster').join(', '),
  }));
}
export type ScheduleRow = Awaited<ReturnType<typeof listSchedules>>[number];

async function findSchedule(tx: TenantTx, scheduleId: string) {
  const schedule = await tx.reportSchedule.findUnique({ where: { id: scheduleId }, select: SCHEDULE_SELECT });
  if (!schedule) throw new AppError('not_found', 'Schedule not found');
  return schedule;
}

/** Pauses or resumes a schedule; resuming plans the next run from now (missed runs are not caught up). */
export async function setScheduleEnabled(ctx: OrgContext, input: unknown, now: Date = new Date()) {
  authorize(ctx, 'report.schedule');
  const { scheduleId, enabled } = parseInput(SetScheduleEnabledSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const schedule = await findSchedule(tx, scheduleId);
    const updated = await tx.reportSchedule.update({
      where: { id: scheduleId },
      data: { enabled, ...(enabled && !schedule.enabled ? { nextRunAt: nextRunAfter(schedule.cron, schedule.timeZone, now) } : {}) },
      select: SCHEDULE_SELECT,
    });
    await writeAudit(tx, ctx, { action: enabled ? 'report_schedule.enabled' : 'report_schedule.disabled', targetType: 'ReportSchedule', targetId: scheduleId });
    return updated;
  });
}

/** One schedule (the v1 API); a malformed or another organization's id is not found. */
export async function getSchedule(ctx: OrgContext, scheduleId: string) {
  authorize(ctx, 'report.read');
  if (!isUuid(scheduleId)) throw new AppError('not_found', 'Schedule not found');
  return dbFor(ctx).$transaction((tx) => findSchedule(tx, scheduleId));
}

/**
 * Changes any of a schedule's fields and `enabled` (the v1 API's PATCH). The schedule it leaves is validated whole
 * with the create schema and the same cluster and recipient checks; a new cron or time zone, or resuming, plans the
 * next run from now. Audited with before and after.
 */
export async function updateSchedule(ctx: OrgContext, input: unknown, now: Date = new Date()) {
  authorize(ctx, 'report.schedule');
  const { scheduleId, enabled, ...patch } = parseInput(UpdateScheduleSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const current = await findSchedule(tx, scheduleId);
    const before = { frameworkId: current.frameworkId, format: current.format, clusterIds: current.clusterIds, period: current.period, cron: current.cron, timeZone: current.timeZone, recipientUserIds: current.recipientUserIds, recipientEmails: current.recipientEmails };
    const merged = parseInput(CreateScheduleSchema, { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) });
    const clusterIds = [...new Set(merged.clusterIds)].sort();
    const recipientUserIds = [...new Set(merged.recipientUserIds)];
    const recipientEmails = [...new Set(merged.recipientEmails)];
    if (clusterIds.length > 0 && await tx.cluster.count({ where: { id: { in: clusterIds } } }) !== clusterIds.length) throw new AppError('not_found', 'Cluster not found');
    await checkRecipients(tx, recipientUserIds, recipientEmails);
    await checkOrgFrameworkReport(tx, merged.frameworkId, merged.format);
    const cron = merged.cron.trim().replace(/\s+/g, ' ');
    const replan = cron !== current.cron || merged.timeZone !== current.timeZone || (enabled === true && !current.enabled);
    const after = { frameworkId: merged.frameworkId, format: merged.format, clusterIds, period: merged.period, cron, timeZone: merged.timeZone, recipientUserIds, recipientEmails };
    const updated = await tx.reportSchedule.update({
      where: { id: scheduleId },
      data: { ...after, ...(enabled !== undefined ? { enabled } : {}), ...(replan ? { nextRunAt: nextRunAfter(cron, merged.timeZone, now) } : {}) },
      select: SCHEDULE_SELECT,
    });
    await writeAudit(tx, ctx, { action: 'report_schedule.updated', targetType: 'ReportSchedule', targetId: scheduleId, before: { ...before, enabled: current.enabled }, after: { ...after, enabled: updated.enabled } });
    return updated;
  });
}

/** A schedule as the v1 API shows it. */
export function scheduleResource(row: Awaited<ReturnType<typeof getSchedule>>) {
  return {
    id: row.id, frameworkId: row.frameworkId, format: row.format, clusterIds: row.clusterIds, period: row.period, cron: row.cron, timeZone: row.timeZone,
    recipientUserIds: row.recipientUserIds, recipientEmails: row.recipientEmails, enabled: row.enabled, nextRunAt: row.nextRunAt, lastRunAt: row.lastRunAt,
    lastReportId: row.lastReportId, lastError: row.lastError, createdAt: row.createdAt,
  };
}

export async function deleteSchedule(ctx: OrgContext, input: unknown): Promise<{ deleted: true }> {
  authorize(ctx, 'report.schedule');
  const { scheduleId } = parseInput(ScheduleIdSchema, input);
  await dbFor(ctx).$transaction(async (tx) => {
    const schedule = await findSchedule(tx, scheduleId);
    await tx.reportSchedule.delete({ where: { id: scheduleId } });
    await writeAudit(tx, ctx, { action: 'report_schedule.deleted', targetType: 'ReportSchedule', targetId: scheduleId, before: { frameworkId: schedule.frameworkId, cron: schedule.cron, timeZone: schedule.timeZone } });
  });
  return { deleted: true };
}

type RunnableSchedule = { id: string; frameworkId: string; format: 'PDF' | 'CSV' | 'JSON' | 'OSCAL'; clusterIds: string[]; period: string; timeZone: string };

/**
 * Requests one run's report through the ordinary request path (caps, dedup, audit) and records it as the
 * schedule's last report; the report worker mails the links when it is generated (scheduledReportDeliveries).
 */
export async function requestScheduledReport(ctx: OrgContext, schedule: RunnableSchedule, runAt: Date) {
  const period = periodForRun(schedule.period as SchedulePeriod, schedule.timeZone, runAt);
  const report = await requestReport(ctx, { frameworkId: schedule.frameworkId, format: schedule.format, clusterIds: schedule.clusterIds, ...period }, runAt);
  await dbFor(ctx).reportSchedule.update({ where: { id: schedule.id }, data: { lastRunAt: runAt, lastReportId: report.id, lastError: null } });
  // The worker's hook mails when the report is generated; if it was generated before the line above (a fast
  // worker), the hook found no schedule pointing at it, so this call mails instead (each report is mailed once).
  await mailScheduledReport(ctx, report.id);
  return report;
}

/** "Run now": one run at once, outside the cron (the next planned run stays). */
export async function runScheduleNow(ctx: OrgContext, input: unknown, now: Date = new Date()) {
  authorize(ctx, 'report.schedule');
  authorize(ctx, 'report.generate');
  const { scheduleId } = parseInput(ScheduleIdSchema, input);
  const schedule = await dbFor(ctx).$transaction((tx) => findSchedule(tx, scheduleId));
  const report = await requestScheduledReport(ctx, schedule, now);
  return { reportId: report.id, duplicate: report.duplicate };
}

// The approved external addresses (Settings → Report recipients).

export async function listExternalRecipients(ctx: OrgContext) {
  authorize(ctx, 'report.read');
  return dbFor(ctx).reportExternalRecipient.findMany({ orderBy: { email: 'asc' }, select: { id: true, email: true, createdAt: true } });
}

export async function approveExternalRecipient(ctx: OrgContext, input: unknown) {
  authorize(ctx, 'report.recipients.manage');
  const { email } = parseInput(ExternalRecipientSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const existing = await tx.reportExternalRecipient.findUnique({ where: { organizationId_email: { organizationId: ctx.organizationId, email } }, select: { id: true, email: true } });
    if (existing) return existing;
    const row = await tx.reportExternalRecipient.create({ data: { organizationId: ctx.organizationId, email, approvedById: actorUserId(ctx) }, select: { id: true, email: true } });
    await writeAudit(tx, ctx, { action: 'report_recipient.approved', targetType: 'ReportExternalRecipient', targetId: row.id, after: { email } });
    return row;
  });
}

/** Removes an approved address and takes it off every schedule; links already sent to it stop working too. */
export async function removeExternalRecipient(ctx: OrgContext, input: unknown): Promise<{ removed: true }> {
  authorize(ctx, 'report.recipients.manage');
  const { recipientId } = parseInput(ExternalRecipientIdSchema, input);
  await dbFor(ctx).$transaction(async (tx) => {
    const row = await tx.reportExternalRecipient.findUnique({ where: { id: recipientId }, select: { id: true, email: true } });
    if (!row) throw new AppError('not_found', 'Recipient not found');
    await tx.reportExternalRecipient.delete({ where: { id: row.id } });
    const schedules = await tx.reportSchedule.findMany({ where: { recipientEmails: { has: row.email } }, select: { id: true, recipientEmails: true } });
    for (const schedule of schedules) {
      const recipientEmails = schedule.recipientEmails.filter((email) => email !== row.email);
      // A schedule left without any recipient is paused rather than generating reports nobody receives.
      const remaining = await tx.reportSchedule.findUnique({ where: { id: schedule.id }, select: { recipientUserIds: true } });
      const paused = (remaining?.recipientUserIds.length ?? 0) + recipientEmails.length === 0;
      await tx.reportSchedule.update({ where: { id: schedule.id }, data: { recipientEmails, ...(paused ? { enabled: false } : {}) } });
    }
    await writeAudit(tx, ctx, { action: 'report_recipient.removed', targetType: 'ReportExternalRecipient', targetId: row.id, before: { email: row.email } });
  });
  return { removed: true };
}

/** Whom a schedule may mail, for the form: members allowed to download reports, and the approved addresses. */
export async function scheduleRecipientOptions(ctx: OrgContext) {
  authorize(ctx, 'report.schedule');
  const db = dbFor(ctx);
  const [members, external] = await Promise.all([
    db.membership.findMany({ where: { role: { in: [...RECIPIENT_ROLES] } }, orderBy: { createdAt: 'asc' }, select: { userId: true, role: true, user: { select: { email: true, name: true } } } }),
    db.reportExternalRecipient.findMany({ orderBy: { email: 'asc' }, select: { email: true } }),
  ]);
  return {
    members: members.map((m) => ({ id: m.userId, label: `${m.user.name ?? m.user.email} (${m.role.toLowerCase()})`, email: m.user.email })),
    external: external.map((e) => e.email),
  };
}
