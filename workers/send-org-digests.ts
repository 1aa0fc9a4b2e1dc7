import type { Job } from 'bullmq';
import { OrgDigestsJobSchema } from '@/lib/platform/queue/jobs';
import { sendOrgDigests } from '@/lib/services/digests/send-digests';

/** One organization's e-mail digests (fair `digests` queue); idempotent per member and period. */
export async function processSendOrgDigests(job: Job): Promise<unknown> {
  const { organizationId } = OrgDigestsJobSchema.parse(job.data);
  return sendOrgDigests(organizationId);
}
