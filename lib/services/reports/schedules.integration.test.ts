import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { closeProducers } from '../../platform/queue/producers';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { generateReport } from './generate-report';
import { runDueSchedules } from './run-schedules';
import { afterReportGenerated } from './schedule-delivery';
import { approveExternalRecipient, createSchedule, deleteSchedule, listSchedules, removeExternalRecipient, runScheduleNow, setScheduleEnabled } from './schedules';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

let acme: { id: string; slug: string };
let auditor: { user: { id: string; email: string }; ctx: OrgContext };
let admin: { user: { id: string; email: string }; ctx: OrgContext };
let member: { user: { id: string; email: string }; ctx: OrgContext };
let globexAdmin: { user: { id: string; email: string }; ctx: OrgContext };
let clusterId: string;

beforeAll(async () => {
  acme = await createOrg();
  clusterId = (await createClusterWithToken(acme, 'prod-eu')).cluster.id;
  auditor = await createMember(acme, 'AUDITOR');
  admin = await createMember(acme, 'ADMIN');
  member = await createMember(acme, 'MEMBER');
  globexAdmin = await createMember(await createOrg(), 'ADMIN');
});

const BASE = { frameworkId: 'iso27001-2022', format: 'CSV', period: 'last_30_days', cron: '0 6 * * *', timeZone: 'Europe/Berlin' } as const;

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('creating a schedule', () => {
  it('refuses an invalid cron expression with 400 naming the cron field', async () => {
    const error = await refusal(createSchedule(auditor.ctx, { ...BASE, cron: '0 61 * * *', recipientUserIds: [auditor.user.id] }));
    expect(error.status).toBe(400);
    expect(error.issues).toEqual([expect.objectContaining({ path: 'cron' })]);
    const tooOften = await refusal(createSchedule(auditor.ctx, { ...BASE, cron: '*/5 * * * *', recipientUserIds: [auditor.user.id] }));
    expect(tooOften.issues).toEqual([{ path: 'cron', message: 'must not run more than once an hour' }]);
  });

  it('refuses an unknown time zone with 400 naming the timeZone field', async () => {
    const error = await refusal(createSchedule(auditor.ctx, { ...BASE, timeZone: 'Europe/Atlantis', recipientUserIds: [auditor.user.id] }));
    expect(error.status).toBe(400);
    expect(error.issues.map((issue) => issue.path)).toEqual(['timeZone']);
  });

  it('refuses recipients outside the organization, members who may not download reports, and unapproved addresses', async () => {
    const outsider = await refusal(createSchedule(auditor.ctx, { ...BASE, recipientUserIds: [globexAdmin.user.id] }));
    expect(outsider.status).toBe(400);
    expect(outsider.issues).toEqual([{ path: 'recipientUserIds', message: `${globexAdmin.user.id} is not an owner, admin or auditor of this organization` }]);
    const plainMember = await refusal(createSchedule(auditor.ctx, { ...BASE, recipientUserIds: [member.user.id] }));
    expect(plainMember.issues[0]?.path).toBe('recipientUserIds');
    const external = await refusal(createSchedule(auditor.ctx, { ...BASE, recipientEmails: ['Auditor@Example-Audit.test'] }));
    expect(external.issues).toEqual([{ path: 'recipientEmails', message: 'auditor@example-audit.test is not on the approved list (Settings → Report recipients)' }]);
    const nobody = await refusal(createSchedule(auditor.ctx, { ...BASE }));
    expect(nobody.issues[0]?.path).toBe('recipientUserIds');
    expect(await dbFor({ organizationId: acme.id }).reportSchedule.count()).toBe(0);
  });

  it('lets only owners and admins approve external addresses, and a member not schedule at all', async () => {
    expect((await refusal(approveExternalRecipient(auditor.ctx, { email: 'x@example-audit.test' }))).status).toBe(403);
    expect((await refusal(createSchedule(member.ctx, { ...BASE, recipientUserIds: [auditor.user.id] }))).status).toBe(403);
  });
});

describe('running schedules', () => {
  it('requests the report when due, advances nextRunAt across the DST change in Europe/Berlin, and mails signed links once generated', async () => {
    await approveExternalRecipient(admin.ctx, { email: 'Lead@Example-Audit.test' });
    const schedule = await createSchedule(auditor.ctx, { ...BASE, clusterIds: [clusterId], recipientUserIds: [auditor.user.id], recipientEmails: ['lead@example-audit.test'] }, new Date('2026-03-27T12:00:00Z'));
    // 06:00 in Berlin is 05:00 UTC in winter (CET)...
    expect(schedule.nextRunAt.toISOString()).toBe('2026-03-28T05:00:00.000Z');
    expect(await runDueSchedules(new Date('2026-03-28T04:59:00Z'))).toEqual({ requested: 0, failed: 0 });

    expect(await runDueSchedules(new Date('2026-03-28T05:00:30Z'))).toEqual({ requested: 1, failed: 0 });
    const db = dbFor({ organizationId: acme.id });
    let row = await db.reportSchedule.findUniqueOrThrow({ where: { id: schedule.id } });
    // ...and 04:00 UTC the next morning (CEST, clocks went forward on 29 March).
    expect(row.nextRunAt.toISOString()).toBe('2026-03-29T04:00:00.000Z');
    expect(row.lastRunAt?.toISOString()).toBe('2026-03-28T05:00:30.000Z');
    const report = await db.report.findUniqueOrThrow({ where: { id: row.lastReportId! } });
    expect(report).toMatchObject({ status: 'QUEUED', frameworkId: 'iso27001-2022', format: 'CSV', clusterIds: [clusterId] });
    expect(report.periodEnd.toISOString()).toBe('2026-03-28T05:00:30.000Z');
    expect(report.periodStart.toISOString()).toBe('2026-02-26T05:00:30.000Z');
    // A second tick at the same time finds nothing due: the run was claimed.
    expect(await runDueSchedules(new Date('2026-03-28T05:00:30Z'))).toEqual({ requested: 0, failed: 0 });
    expect(await runDueSchedules(new Date('2026-03-29T04:00:00Z'))).toEqual({ requested: 1, failed: 0 });
    row = await db.reportSchedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect(row.nextRunAt.toISOString()).toBe('2026-03-30T04:00:00.000Z');

    // The worker generates the report and its hook mails each recipient a link (once, however often it runs).
    const second = row.lastReportId!;
    await generateReport(systemContext(acme.id, 'generate-report'), second);
    expect(await afterReportGenerated(acme.id, second)).toBe(2);
    expect(await afterReportGenerated(acme.id, second)).toBe(0);
    const mails = await db.mailMessage.findMany({ where: { category: 'scheduled_report' }, orderBy: { recipient: 'asc' } });
    expect(mails.map((mail) => mail.recipient).sort()).toEqual([auditor.user.email, 'lead@example-audit.test'].sort());
    expect(mails[0]?.subject).toMatch(/^Scheduled report: ISO/);
  });

  it('"run now" requests a report at once and leaves the planned run', async () => {
    const schedule = await createSchedule(auditor.ctx, { ...BASE, format: 'OSCAL', period: 'previous_month', recipientUserIds: [admin.user.id] }, new Date('2026-04-01T00:00:00Z'));
    const { reportId } = await runScheduleNow(auditor.ctx, { scheduleId: schedule.id }, new Date('2026-04-15T10:00:00Z'));
    const report = await dbFor({ organizationId: acme.id }).report.findUniqueOrThrow({ where: { id: reportId } });
    // March in Berlin: from midnight 1 March (CET, UTC+1) to just before midnight 1 April (CEST, UTC+2).
    expect(report.periodStart.toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(report.periodEnd.toISOString()).toBe('2026-03-31T21:59:59.999Z');
    const row = await dbFor({ organizationId: acme.id }).reportSchedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect(row.nextRunAt.toISOString()).toBe(schedule.nextRunAt.toISOString());
    expect(row.lastReportId).toBe(reportId);
  });

  it('skips disabled schedules, and removing an approved address takes it off schedules', async () => {
    const schedule = await createSchedule(admin.ctx, { ...BASE, recipientEmails: ['lead@example-audit.test'] }, new Date('2026-05-01T00:00:00Z'));
    await setScheduleEnabled(admin.ctx, { scheduleId: schedule.id, enabled: false });
    expect((await listSchedules(auditor.ctx)).find((s) => s.id === schedule.id)?.enabled).toBe(false);
    const [recipient] = await dbFor({ organizationId: acme.id }).reportExternalRecipient.findMany({ where: { email: 'lead@example-audit.test' } });
    await removeExternalRecipient(admin.ctx, { recipientId: recipient!.id });
    const row = await dbFor({ organizationId: acme.id }).reportSchedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect(row.recipientEmails).toEqual([]);
    expect(row.enabled).toBe(false);
    await deleteSchedule(admin.ctx, { scheduleId: schedule.id });
    expect(await dbFor({ organizationId: acme.id }).reportSchedule.findUnique({ where: { id: schedule.id } })).toBeNull();
  });

  it('hides another organization\'s schedules: listing, toggling, running and deleting them is 404', async () => {
    const [schedule] = await listSchedules(auditor.ctx);
    expect(schedule).toBeDefined();
    expect(await listSchedules(globexAdmin.ctx)).toEqual([]);
    for (const attempt of [
      () => setScheduleEnabled(globexAdmin.ctx, { scheduleId: schedule!.id, enabled: false }),
      () => runScheduleNow(globexAdmin.ctx, { scheduleId: schedule!.id }),
      () => deleteSchedule(globexAdmin.ctx, { scheduleId: schedule!.id }),
    ]) expect((await refusal(attempt())).status).toBe(404);
    expect((await dbFor({ organizationId: acme.id }).reportSchedule.findUniqueOrThrow({ where: { id: schedule!.id } })).enabled).toBe(schedule!.enabled);
  });
});
