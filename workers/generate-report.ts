import type { Job } from 'bullmq';
import { GenerateReportJobSchema } from '@/lib/platform/queue/jobs';
import { systemContext } from '@/lib/platform/auth/context';
import { generateReport, markReportFailed } from '@/lib/services/reports/generate-report';
import { afterReportGenerated } from '@/lib/services/reports/schedule-delivery';
import { logger } from '@/lib/platform/log';

const log = logger.child({ component: 'worker' });

export async function processGenerateReport(job: Job): Promise<unknown> {
  const { organizationId, reportId } = GenerateReportJobSchema.parse(job.data);
  const ctx = systemContext(organizationId, 'generate-report');
  let outcome: Awaited<ReturnType<typeof generateReport>>;
  try {
    outcome = await generateReport(ctx, reportId);
  } catch (error) {
    // The last attempt: the archive shows the report FAILED with the reason, then BullMQ fails the job.
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await markReportFailed(ctx, reportId, (error as Error).message);
    throw error;
  }
  // After success: schedules that asked for this report mail their recipients a signed, expiring link (claimed once
  // per report, so nothing is mailed twice). A mail problem is logged, never a failed report or a retried job.
  if (outcome.outcome === 'done') {
    await afterReportGenerated(organizationId, reportId).catch((error: unknown) => log.error({ organizationId, reportId, err: String(error) }, 'scheduled report links not mailed'));
  }
  return outcome;
}
