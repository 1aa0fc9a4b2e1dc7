'use server';
import { orgAction } from '@/lib/web/action';
import { BulkCreateJiraIssuesSchema, CreateJiraIssueSchema, JiraLinkIdSchema } from '@/lib/services/jira/schemas';
import { bulkCreateJiraIssues, createJiraIssue } from '@/lib/services/jira/issues';
import { refreshJiraLink } from '@/lib/services/jira/sync';

// "Create Jira issue" on a finding or a ticket, in bulk on the findings list, and "Refresh status" (issue 20). The
// services authorize ('jira.create': owners, admins, members), read the finding or ticket through RLS, and ask Jira.
export const createJiraIssueAction = orgAction(CreateJiraIssueSchema, createJiraIssue);
export const bulkCreateJiraIssuesAction = orgAction(BulkCreateJiraIssuesSchema, bulkCreateJiraIssues);
export const refreshJiraLinkAction = orgAction(JiraLinkIdSchema, refreshJiraLink);
