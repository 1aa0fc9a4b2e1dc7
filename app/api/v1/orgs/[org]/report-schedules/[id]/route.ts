import { z } from 'zod';
import { orgRoute } from '@/lib/web/org-route';
import { AppError, json } from '@/lib/web/respond';
import { deleteSchedule, getSchedule, scheduleResource, updateSchedule } from '@/lib/services/reports/schedules';
import { PatchScheduleBodySchema } from '@/lib/services/reports/schedule-schemas';
import { parseInput } from '@/lib/platform/input';

export const dynamic = 'force-dynamic';

type Params = { org: string; id: string };

export const GET = orgRoute<Params>({}, async ({ ctx, params }) => json({ schedule: scheduleResource(await getSchedule(ctx, params.id)) }));

/**
 * Changes any field of the schedule and `enabled` (auditors, admins, owners). The schedule is looked up before the
 * body is judged: another organization's id is a 404 whatever the body says.
 */
export const PATCH = orgRoute<Params, undefined, unknown>({ body: z.unknown() }, async ({ ctx, params, body }) => {
  await getSchedule(ctx, params.id);
  const changes = parseInput(PatchScheduleBodySchema, body);
  if (Object.values(changes).every((value) => value === undefined)) throw new AppError('invalid', 'Nothing to change: send any schedule field or enabled');
  return json({ schedule: scheduleResource(await updateSchedule(ctx, { ...changes, scheduleId: params.id })) });
});

/** Deletes the schedule (reports it already generated stay in the archive). */
export const DELETE = orgRoute<Params>({}, async ({ ctx, params }) => {
  await getSchedule(ctx, params.id);
  return json(await deleteSchedule(ctx, { scheduleId: params.id }));
});
