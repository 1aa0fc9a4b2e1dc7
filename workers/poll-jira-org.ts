import type { Job } from 'bullmq';
import { PollJiraOrgJobSchema } from '@/lib/platform/queue/jobs';
import { pollOrganizationJira } from '@/lib/services/jira/sync';

/** One organization's Jira status poll (fair `jira` queue). */
export async function processPollJiraOrg(job: Job): Promise<unknown> {
  const { organizationId } = PollJiraOrgJobSchema.parse(job.data);
  return pollOrganizationJira(organizationId);
}
