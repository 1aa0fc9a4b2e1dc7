import type { Job } from 'bullmq';
import { JOBS, QUEUES, type QueueName } from '@/lib/platform/queue/jobs';
import { processEvaluateSnapshot } from './evaluate-snapshot';
import { processMaintenance } from './maintenance';
import { processGenerateReport } from './generate-report';
import { processDispatchEvents } from './dispatch-events';
import { processDeliverWebhook } from './deliver-webhook';
import { processDeliverMail } from './deliver-mail';
import { processSendOrgDigests } from './send-org-digests';
import { processPollJiraOrg } from './poll-jira-org';

export type Processor = (job: Job) => Promise<unknown>;

/** Which function handles which job, per queue. A job name missing here is logged and completed. */
export const PROCESSORS: Record<QueueName, Record<string, Processor>> = {
  [QUEUES.evaluation]: { [JOBS.evaluateSnapshot]: processEvaluateSnapshot },
  [QUEUES.maintenance]: {
    [JOBS.sweepOutbox]: processMaintenance,
    [JOBS.expireRiskAcceptances]: processMaintenance,
    [JOBS.markStaleClusters]: processMaintenance,
    [JOBS.pruneSnapshots]: processMaintenance,
    [JOBS.compactFindingTallies]: processMaintenance,
    [JOBS.anchorAuditChains]: processMaintenance,
    [JOBS.remindExpiringEvidence]: processMaintenance,
    [JOBS.remindExpiringRiskAcceptances]: processMaintenance,
    [JOBS.sweepQueuedMail]: processMaintenance,
    [JOBS.runReportSchedules]: processMaintenance,
    [JOBS.pollJira]: processMaintenance,
    [JOBS.accessReviews]: processMaintenance,
    [JOBS.sendDigests]: processMaintenance,
    [JOBS.dispatchEvents]: processDispatchEvents,
  },
  [QUEUES.reports]: { [JOBS.generateReport]: processGenerateReport },
  [QUEUES.webhooks]: { [JOBS.deliverWebhook]: processDeliverWebhook },
  [QUEUES.mail]: { [JOBS.deliverMail]: processDeliverMail },
  [QUEUES.digests]: { [JOBS.sendOrgDigests]: processSendOrgDigests },
  [QUEUES.jira]: { [JOBS.pollJiraOrg]: processPollJiraOrg },
};
