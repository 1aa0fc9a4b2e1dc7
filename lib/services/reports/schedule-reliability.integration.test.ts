import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgContext } from '../../platform/auth/context';
import { systemContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { generateReport } from './generate-report';
import { runDueSchedules } from './run-schedules';
import { afterReportGenerated } from './schedule-delivery';
import { approveExternalRecipient, createSchedule, runScheduleNow } from './schedules';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

let acme: { id: string; slug: string };
let auditor: { user: { id: string; email: string }; ctx: OrgContext };
let admin: { user: { id: string; email: string }; ctx: OrgContext };
let clusterId: string;
beforeAll(async () => {
  acme = await createOrg();
  clusterId = (await createClusterWithToken(acme, 'prod-eu')).cluster.id;
  auditor = await createMember(acme, 'AUDITOR');
  admin = await createMember(acme, 'ADMIN');
});

const BASE = { frameworkId: 'iso27001-2022', format: 'CSV', period: 'last_30_days', cron: '0 6 * * *', timeZone: 'UTC' } as const;

describe('scheduled reports, reliably', () => {
  it('a schedule whose runs were missed while the worker was down runs once on catch-up, not once per missed day', async () => {
    const schedule = await createSchedule(auditor.ctx, { ...BASE, clusterIds: [clusterId], recipientUserIds: [auditor.user.id] }, new Date('2026-06-01T00:00:00Z'));
    expect(schedule.nextRunAt.toISOString()).toBe('2026-06-01T06:00:00.000Z');
    // The worker comes back four days (four missed runs) later.
    const back = new Date('2026-06-05T09:30:00Z');
    expect(await runDueSchedules(back)).toEqual({ requested: 1, failed: 0 });
    expect(await runDueSchedules(back)).toEqual({ requested: 0, failed: 0 });
    expect(await runDueSchedules(new Date('2026-06-05T23:59:00Z'))).toEqual({ requested: 0, failed: 0 });
    const db = dbFor({ organizationId: acme.id });
    expect(await db.report.count({ where: { id: { in: (await db.reportSchedule.findMany({ select: { lastReportId: true } })).map((r) => r.lastReportId ?? '') } } })).toBe(1);
    const row = await db.reportSchedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect(row.nextRunAt.toISOString()).toBe('2026-06-06T06:00:00.000Z');
    expect(await runDueSchedules(new Date('2026-06-06T06:00:10Z'))).toEqual({ requested: 1, failed: 0 });
  });

  it('marks a report mailed only together with its mails: a failure while writing them leaves it unmailed, and the retry mails everyone once', async () => {
    await approveExternalRecipient(admin.ctx, { email: 'lead@example-audit.test' });
    const schedule = await createSchedule(auditor.ctx, { ...BASE, format: 'CSV', recipientUserIds: [auditor.user.id], recipientEmails: ['lead@example-audit.test'] }, new Date('2026-07-01T00:00:00Z'));
    const { reportId } = await runScheduleNow(auditor.ctx, { scheduleId: schedule.id }, new Date('2026-07-02T10:00:00Z'));
    await generateReport(systemContext(acme.id, 'generate-report'), reportId);
    const db = dbFor({ organizationId: acme.id });
    await db.mailMessage.deleteMany({ where: { category: 'scheduled_report' } }); // runScheduleNow's own hook found it not generated yet

    // The second recipient's mail cannot be written (a fault injected in the real Postgres: a trigger refusing it).
    await systemDb().$executeRawUnsafe(`CREATE OR REPLACE FUNCTION refuse_lead_mail() RETURNS trigger AS $$ BEGIN
      IF NEW."recipient" = 'lead@example-audit.test' THEN RAISE EXCEPTION 'mail store unavailable'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await systemDb().$executeRawUnsafe('CREATE TRIGGER refuse_lead_mail BEFORE INSERT ON "MailMessage" FOR EACH ROW EXECUTE FUNCTION refuse_lead_mail()');
    try {
      await expect(afterReportGenerated(acme.id, reportId)).rejects.toThrow(/mail store unavailable/);
    } finally {
      await systemDb().$executeRawUnsafe('DROP TRIGGER refuse_lead_mail ON "MailMessage"');
    }
    // Nothing half-done: not marked mailed, and the auditor's mail was not kept either.
    expect((await db.reportSchedule.findUniqueOrThrow({ where: { id: schedule.id } })).lastMailedReportId).toBeNull();
    expect(await db.mailMessage.count({ where: { category: 'scheduled_report' } })).toBe(0);

    // The worker's retry mails both, once.
    expect(await afterReportGenerated(acme.id, reportId)).toBe(2);
    expect(await afterReportGenerated(acme.id, reportId)).toBe(0);
    expect((await db.mailMessage.findMany({ where: { category: 'scheduled_report' }, select: { recipient: true } })).map((m) => m.recipient).sort())
      .toEqual([auditor.user.email, 'lead@example-audit.test'].sort());
    expect((await db.reportSchedule.findUniqueOrThrow({ where: { id: schedule.id } })).lastMailedReportId).toBe(reportId);
  });

  it('the cross-tenant due scan is served by the partial index on nextRunAt', async () => {
    await systemDb().$executeRawUnsafe('ANALYZE "ReportSchedule"');
    const plan = await systemDb().$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN SELECT "id" FROM "ReportSchedule" WHERE "enabled" AND "nextRunAt" <= now() ORDER BY "nextRunAt" LIMIT 100`);
    });
    expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toContain('ReportSchedule_nextRunAt_idx');
  });
});
