import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { createSchedule, getSchedule, listSchedules, scheduleResource } from '@/lib/services/reports/schedules';
import { CreateScheduleSchema, type CreateScheduleInput } from '@/lib/services/reports/schedule-schemas';

export const dynamic = 'force-dynamic';

/** The organization's report schedules (anyone who may read reports). */
export const GET = orgRoute<{ org: string }>({}, async ({ ctx }) => json({ items: (await listSchedules(ctx)).map(scheduleResource) }));

/** Creates a schedule (auditors, admins, owners): the same schema and checks as Reports → Schedules. */
export const POST = orgRoute<{ org: string }, undefined, CreateScheduleInput>({ body: CreateScheduleSchema }, async ({ ctx, body }) => {
  const created = await createSchedule(ctx, body);
  return json({ schedule: scheduleResource(await getSchedule(ctx, created.id)) }, 201);
});
