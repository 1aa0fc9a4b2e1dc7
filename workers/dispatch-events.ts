import type { Job } from 'bullmq';
import { MaintenanceJobSchema } from '@/lib/queue/jobs';
import { dispatchDomainEvents, requeueStrandedDeliveries } from '@/lib/webhooks/dispatch';

export async function processDispatchEvents(job: Job): Promise<unknown> {
  MaintenanceJobSchema.parse(job.data ?? {});
  const dispatched = await dispatchDomainEvents();
  const requeued = await requeueStrandedDeliveries();
  return { dispatched, requeued };
}
