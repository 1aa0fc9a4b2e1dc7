import type { Job } from 'bullmq';
import { MaintenanceJobSchema } from '@/lib/platform/queue/jobs';
import { dispatchDomainEvents, requeueStrandedDeliveries } from '@/lib/services/webhooks/dispatch';

export async function processDispatchEvents(job: Job): Promise<unknown> {
  MaintenanceJobSchema.parse(job.data ?? {});
  const dispatched = await dispatchDomainEvents();
  const requeued = await requeueStrandedDeliveries();
  return { dispatched, requeued };
}
