import type { Job } from 'bullmq';
import { EvaluateSnapshotJobSchema } from '@/lib/platform/queue/jobs';
import { systemContext } from '@/lib/platform/auth/context';
import { evaluateStoredSnapshot, markEvaluationFailed } from '@/lib/services/pipeline/evaluate-stored-snapshot';

export async function processEvaluateSnapshot(job: Job): Promise<unknown> {
  const { organizationId, snapshotId } = EvaluateSnapshotJobSchema.parse(job.data);
  const ctx = systemContext(organizationId, 'evaluate-snapshot');
  try {
    return await evaluateStoredSnapshot(ctx, snapshotId);
  } catch (error) {
    // The last attempt: record the failure where the organization can see it, then let BullMQ fail the job.
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await markEvaluationFailed(ctx, snapshotId, (error as Error).message);
    throw error;
  }
}
