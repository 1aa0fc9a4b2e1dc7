import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { createMember, createOrg } from '@/lib/testing/factories';
import { GET as LIST, POST as CREATE } from './route';
import { DELETE, GET as READ, PATCH } from './[id]/route';

afterAll(async () => {
  await closeProducers();
  await disconnectDb();
});

type Org = { id: string; slug: string };
type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;
type ScheduleJson = { id: string; cron: string; timeZone: string; format: string; enabled: boolean; nextRunAt: string; recipientUserIds: string[]; recipientEmails: string[] };
type Answer = { status: number; body: { schedule?: ScheduleJson; items?: ScheduleJson[]; deleted?: boolean; error?: { code: string; issues?: { path: string; message: string }[] } } };

const tokenFor = async (org: Org, role: 'ADMIN' | 'AUDITOR' | 'VIEWER' | 'MEMBER') => (await createApiToken(systemContext(org.id, 'test', org.slug), { name: `${role.toLowerCase()}-schedules`, role })).token;

async function call<P extends Record<string, string>>(handler: Handler<P>, method: string, token: string, params: P, body?: unknown): Promise<Answer> {
  const request = new Request(`http://localhost/api/v1/orgs/${params.org}/report-schedules${params.id ? `/${params.id}` : ''}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await handler(request, { params: Promise.resolve(params) });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

let acme: Org;
let auditorId: string;
beforeAll(async () => {
  acme = await createOrg('Schedule API Acme');
  auditorId = (await createMember(acme, 'AUDITOR')).user.id;
});

describe('v1 report schedules', () => {
  it('an auditor\'s token creates, reads, changes, pauses and deletes a schedule with the page\'s rules', async () => {
    const auditor = await tokenFor(acme, 'AUDITOR');
    const org = { org: acme.slug };
    const valid = { frameworkId: 'iso27001-2022', format: 'CSV', period: 'previous_month', cron: '0 6 1 * *', timeZone: 'Europe/Berlin', recipientUserIds: [auditorId] };

    // Bad input: 400 naming the field, nothing written.
    const tooOften = await call(CREATE, 'POST', auditor, org, { ...valid, cron: '*/5 * * * *' });
    expect(tooOften.status).toBe(400);
    expect(tooOften.body.error?.issues).toEqual([{ path: 'cron', message: 'must not run more than once an hour' }]);
    const nobody = await call(CREATE, 'POST', auditor, org, { ...valid, recipientUserIds: [] });
    expect(nobody.body.error?.issues?.map((i) => i.path)).toEqual(['recipientUserIds']);
    const outsider = await call(CREATE, 'POST', auditor, org, { ...valid, recipientEmails: ['someone@else.example'] });
    expect(outsider.status).toBe(400);
    expect(outsider.body.error?.issues?.map((i) => i.path)).toEqual(['recipientEmails']);
    expect(await dbFor({ organizationId: acme.id }).reportSchedule.count()).toBe(0);

    const created = await call(CREATE, 'POST', auditor, org, valid);
    expect(created.status).toBe(201);
    const schedule = created.body.schedule!;
    expect(schedule).toMatchObject({ cron: '0 6 1 * *', timeZone: 'Europe/Berlin', format: 'CSV', enabled: true, recipientUserIds: [auditorId] });
    const params = { org: acme.slug, id: schedule.id };
    expect((await call(READ, 'GET', auditor, params)).body.schedule).toMatchObject({ id: schedule.id, cron: '0 6 1 * *' });
    expect((await call(LIST, 'GET', auditor, org)).body.items?.map((s) => s.id)).toEqual([schedule.id]);

    // PATCH: the schedule it leaves is validated whole (a cron that is fine but too frequent, in the old zone).
    const refused = await call(PATCH, 'PATCH', auditor, params, { cron: '0,30 * * * *' });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.issues?.map((i) => i.path)).toEqual(['cron']);
    expect((await call(PATCH, 'PATCH', auditor, params, { recipientUserIds: [] })).body.error?.issues?.map((i) => i.path)).toEqual(['recipientUserIds']);
    expect((await call(PATCH, 'PATCH', auditor, params, { color: 'red' })).status).toBe(400);
    expect((await call(PATCH, 'PATCH', auditor, params, {})).status).toBe(400);
    expect((await call(READ, 'GET', auditor, params)).body.schedule).toMatchObject({ cron: '0 6 1 * *', recipientUserIds: [auditorId] });

    const changed = await call(PATCH, 'PATCH', auditor, params, { cron: '0 7 * * 1', timeZone: 'UTC', format: 'PDF' });
    expect(changed.status).toBe(200);
    expect(changed.body.schedule).toMatchObject({ cron: '0 7 * * 1', timeZone: 'UTC', format: 'PDF' });
    const next = new Date(changed.body.schedule!.nextRunAt);
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 7, 0]); // replanned: Monday 07:00 UTC
    expect((await call(PATCH, 'PATCH', auditor, params, { enabled: false })).body.schedule).toMatchObject({ enabled: false, cron: '0 7 * * 1' });
    const audit = await dbFor({ organizationId: acme.id }).auditLog.findMany({ where: { targetId: schedule.id }, orderBy: { seq: 'asc' }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(['report_schedule.created', 'report_schedule.updated', 'report_schedule.updated']);

    // A viewer's token may neither read nor change schedules (reports are for owners, admins and auditors).
    const viewer = await tokenFor(acme, 'VIEWER');
    expect((await call(PATCH, 'PATCH', viewer, params, { enabled: true })).status).toBe(403);
    expect((await call(CREATE, 'POST', viewer, org, valid)).status).toBe(403);
    expect((await call(DELETE, 'DELETE', viewer, params)).status).toBe(403);
    // Malformed id: not found.
    expect((await call(READ, 'GET', auditor, { org: acme.slug, id: 'not-a-uuid' })).status).toBe(404);

    expect((await call(DELETE, 'DELETE', auditor, params)).body).toEqual({ deleted: true });
    expect((await call(READ, 'GET', auditor, params)).status).toBe(404);
  });
});
