import { z } from 'zod';
import { validateJiraBaseUrl } from './url-policy';

export const JIRA_DEPLOYMENTS = ['cloud', 'server'] as const;
export const JIRA_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;

const BaseUrl = z.string().trim().max(500).superRefine((value, context) => {
  const error = validateJiraBaseUrl(value);
  if (error) context.addIssue({ code: 'custom', message: error });
});

/** Connect (or reconnect) Jira: Cloud with e-mail and API token, Server/Data Center with a personal access token. */
export const ConnectJiraSchema = z.object({
  deployment: z.enum(JIRA_DEPLOYMENTS),
  baseUrl: BaseUrl,
  email: z.string().trim().max(320).optional().transform((v) => (v ? v : undefined)),
  token: z.string().trim().min(1, 'Enter the API token or personal access token').max(2000),
}).superRefine((value, context) => {
  if (value.deployment === 'cloud' && !value.email) context.addIssue({ code: 'custom', path: ['email'], message: 'Jira Cloud needs the e-mail address of the account the API token belongs to' });
  if (value.deployment === 'cloud' && value.email && !z.email().safeParse(value.email).success) context.addIssue({ code: 'custom', path: ['email'], message: 'Enter an e-mail address' });
});
export type ConnectJiraInput = z.input<typeof ConnectJiraSchema>;

/** Where issues go and how severities become priorities (a priority name from Jira, or empty for Jira's default). */
export const JiraSettingsSchema = z.object({
  projectKey: z.string().trim().min(1, 'Choose a project').max(50),
  issueTypeId: z.string().trim().min(1, 'Choose an issue type').max(50),
  priorityMap: z.partialRecord(z.enum(JIRA_SEVERITIES), z.string().trim().max(100)).default({}),
});
export type JiraSettingsInput = z.input<typeof JiraSettingsSchema>;

export const CreateJiraIssueSchema = z.object({ findingId: z.uuid().optional(), ticketId: z.uuid().optional() })
  .refine((v) => (v.findingId ? 1 : 0) + (v.ticketId ? 1 : 0) === 1, 'Name a finding or a ticket');
export type CreateJiraIssueInput = z.input<typeof CreateJiraIssueSchema>;

export const BulkCreateJiraIssuesSchema = z.object({ findingIds: z.array(z.uuid()).min(1, 'Select at least one finding').max(50, 'At most 50 findings at once') });
export type BulkCreateJiraIssuesInput = z.input<typeof BulkCreateJiraIssuesSchema>;

export const JiraLinkIdSchema = z.object({ linkId: z.uuid() });
export type JiraLinkIdInput = z.input<typeof JiraLinkIdSchema>;
