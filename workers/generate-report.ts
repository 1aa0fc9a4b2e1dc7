import type { Job } from 'bullmq';
import { GenerateReportJobSchema } from '@/lib/platform/queue/jobs';
import { systemContext } from '@/lib/platform/auth/context';
import { generateReport, markReportFailed } from '@/lib/services/reports/generate-report';

export async function processGenerateReport(job: Job): Promise<unknown> {
  const { organizationId, reportId } = GenerateReportJobSchema.parse(job.data);
  const ctx = systemContext(organizationId, 'generate-report');
  try {
    return await generateReport(ctx, reportId);
  } catch (error) {
    // The last attempt: the archive shows the report FAILED with the reason, then BullMQ fails the job.
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await markReportFailed(ctx, reportId, (error as Error).message);
    throw error;
  }
}
