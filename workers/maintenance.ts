import type { Job } from 'bullmq';
import { JOBS, MaintenanceJobSchema } from '@/lib/platform/queue/jobs';
import { sweepSnapshotOutbox } from '@/lib/services/events/sweep-snapshot-outbox';
import { expireRiskAcceptances, markStaleClusters, pruneSnapshotBodies } from '@/lib/services/pipeline/maintenance';
import { compactFindingTallies } from '@/lib/services/pipeline/tallies';
import { anchorAuditChains } from '@/lib/services/audit/anchor-audit';
import { remindExpiringEvidence } from '@/lib/services/evidence/expiry';
import { remindExpiringRiskAcceptances } from '@/lib/services/mail/event-mails';
import { sweepQueuedMail } from '@/lib/services/mail/send-mail';
import { runDueSchedules } from '@/lib/services/reports/run-schedules';
import { offerJiraPolls } from '@/lib/services/jira/sync';
import { runAccessReviewMaintenance } from '@/lib/services/reviews/revocations';
import { offerDigestJobs } from '@/lib/services/digests/send-digests';

export async function processMaintenance(job: Job): Promise<unknown> {
  MaintenanceJobSchema.parse(job.data ?? {});
  switch (job.name) {
    case JOBS.sweepOutbox: return sweepSnapshotOutbox();
    case JOBS.expireRiskAcceptances: return expireRiskAcceptances();
    case JOBS.markStaleClusters: return markStaleClusters();
    case JOBS.pruneSnapshots: return pruneSnapshotBodies();
    case JOBS.compactFindingTallies: return compactFindingTallies();
    case JOBS.anchorAuditChains: return anchorAuditChains();
    case JOBS.remindExpiringEvidence: return remindExpiringEvidence();
    case JOBS.remindExpiringRiskAcceptances: return remindExpiringRiskAcceptances();
    case JOBS.sweepQueuedMail: return sweepQueuedMail();
    case JOBS.runReportSchedules: return runDueSchedules();
    case JOBS.pollJira: return offerJiraPolls();
    case JOBS.accessReviews: return runAccessReviewMaintenance();
    case JOBS.sendDigests: return offerDigestJobs();
    default: return undefined;
  }
}
