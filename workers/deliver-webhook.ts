import type { Job } from 'bullmq';
import { DeliverWebhookJobSchema } from '@/lib/platform/queue/jobs';
import { systemContext } from '@/lib/platform/auth/context';
import { deliverWebhook } from '@/lib/services/webhooks/deliver-webhook';

export async function processDeliverWebhook(job: Job): Promise<unknown> {
  const { organizationId, deliveryId } = DeliverWebhookJobSchema.parse(job.data);
  // The last attempt marks the delivery FAILED before BullMQ fails the job.
  const isFinalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  return deliverWebhook(systemContext(organizationId, 'deliver-webhook'), deliveryId, { isFinalAttempt });
}
