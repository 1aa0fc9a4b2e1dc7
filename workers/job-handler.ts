import type { Job } from 'bullmq';
import type { QueueName } from '@/lib/platform/queue/jobs';
import { FAIR_QUEUES, dispatchFairQueue } from '@/lib/platform/queue/producers';
import { logger } from '@/lib/platform/log';
import { PROCESSORS } from './processors';

const log = logger.child({ component: 'worker' });

/**
 * What a worker of `queue` runs for each job. A job of a fair queue that starts leaves room in the BullMQ list,
 * so the next organization's job is moved in (without waiting for it: the refill must not delay this job).
 */
export function jobHandler(queue: QueueName): (job: Job) => Promise<void> {
  const processors = PROCESSORS[queue];
  return async (job) => {
    if (FAIR_QUEUES.has(queue)) {
      void dispatchFairQueue(queue).catch((error: unknown) => log.warn({ queue, err: String(error) }, 'could not refill the queue; the next tick will'));
    }
    const processor = processors[job.name];
    if (!processor) {
      // A job name this version doesn't know (an older or newer producer): log it and complete it.
      log.warn({ queue, job: job.name, jobId: job.id }, 'unknown job name; completing without work');
      return;
    }
    await processor(job);
  };
}
