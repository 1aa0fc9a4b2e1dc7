import type { Job } from 'bullmq';
import { MaintenanceJobSchema } from '@/lib/platform/queue/jobs';
import { dispatchDomainEvents } from '@/lib/services/events/dispatch';
import { requeueStrandedDeliveries } from '@/lib/services/webhooks/event-deliveries';

export async function processDispatchEvents(job: Job): Promise<unknown> {
  MaintenanceJobSchema.parse(job.data ?? {});
  const dispatched = await dispatchDomainEvents();
  const requeued = await requeueStrandedDeliveries();
  return { dispatched, requeued };
}
