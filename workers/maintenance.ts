import type { Job } from 'bullmq';
import { JOBS, MaintenanceJobSchema } from '@/lib/queue/jobs';
import { sweepOutbox } from '@/lib/pipeline/sweep-outbox';
import { expireRiskAcceptances, markStaleClusters, pruneSnapshotBodies } from '@/lib/pipeline/maintenance';
import { compactFindingTallies } from '@/lib/pipeline/tallies';
import { anchorAuditChains } from '@/lib/audit/anchor-audit';

export async function processMaintenance(job: Job): Promise<unknown> {
  MaintenanceJobSchema.parse(job.data ?? {});
  switch (job.name) {
    case JOBS.sweepOutbox: return sweepOutbox();
    case JOBS.expireRiskAcceptances: return expireRiskAcceptances();
    case JOBS.markStaleClusters: return markStaleClusters();
    case JOBS.pruneSnapshots: return pruneSnapshotBodies();
    case JOBS.compactFindingTallies: return compactFindingTallies();
    case JOBS.anchorAuditChains: return anchorAuditChains();
    default: return undefined;
  }
}
