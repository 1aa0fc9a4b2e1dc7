import type { Job } from 'bullmq';
import { DeliverMailJobSchema } from '@/lib/platform/queue/jobs';
import { systemContext } from '@/lib/platform/auth/context';
import { deliverMail } from '@/lib/services/mail/deliver-mail';

/** One mail's delivery; a retryable failure throws, so BullMQ tries again with exponential backoff. */
export async function processDeliverMail(job: Job): Promise<unknown> {
  const { organizationId, messageId } = DeliverMailJobSchema.parse(job.data);
  // The last attempt marks the message FAILED before BullMQ fails the job.
  const isFinalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const attempt = await deliverMail(systemContext(organizationId, 'deliver-mail'), messageId, { isFinalAttempt });
  if (attempt.outcome === 'retry' || attempt.outcome === 'failed') throw new Error(`mail ${messageId}: ${attempt.error ?? 'failed'}`);
  return attempt;
}
