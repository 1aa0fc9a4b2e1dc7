'use server';
import { orgAction } from '@/lib/web/action';
import { CreateScheduleSchema, ScheduleIdSchema, SetScheduleEnabledSchema } from '@/lib/services/reports/schedule-schemas';
import { createSchedule, deleteSchedule, runScheduleNow, setScheduleEnabled } from '@/lib/services/reports/schedules';

// Called as someAction(orgSlug, input); the services validate again.
export const createScheduleAction = orgAction(CreateScheduleSchema, async (ctx, input) => {
  const schedule = await createSchedule(ctx, input);
  return { scheduleId: schedule.id, nextRunAt: schedule.nextRunAt.toISOString() };
});
export const setScheduleEnabledAction = orgAction(SetScheduleEnabledSchema, async (ctx, input) => {
  const schedule = await setScheduleEnabled(ctx, input);
  return { enabled: schedule.enabled };
});
export const deleteScheduleAction = orgAction(ScheduleIdSchema, (ctx, input) => deleteSchedule(ctx, input));
export const runScheduleNowAction = orgAction(ScheduleIdSchema, (ctx, input) => runScheduleNow(ctx, input));
