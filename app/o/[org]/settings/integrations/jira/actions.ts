'use server';
import { z } from 'zod';
import { orgAction } from '@/lib/web/action';
import { ConnectJiraSchema, JiraSettingsSchema } from '@/lib/services/jira/schemas';
import { connectJira, disconnectJira, jiraOptions, saveJiraSettings } from '@/lib/services/jira/connection';

// Settings → Integrations → Jira (issue 20). The services authorize ('jira.manage': owners and admins), check the
// base URL (no internal addresses), ask Jira, and audit.

/** Returns the connection and the webhook secret, shown this once. */
export const connectJiraAction = orgAction(ConnectJiraSchema, connectJira);
export const saveJiraSettingsAction = orgAction(JiraSettingsSchema, saveJiraSettings);
export const disconnectJiraAction = orgAction(z.object({}), (ctx) => disconnectJira(ctx));
/** The issue types of another project, when the admin picks it. */
export const jiraOptionsAction = orgAction(z.object({ projectKey: z.string().trim().min(1).max(50) }), (ctx, { projectKey }) => jiraOptions(ctx, projectKey));
