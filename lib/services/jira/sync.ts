import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { authorize } from '../../platform/auth/permissions';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { AppError, isAppError } from '../../platform/errors';
import { isUuid, parseInput } from '../../platform/input';
import { logger } from '../../platform/log';
import { enqueueJiraPoll } from '../../platform/queue/producers';
import { JiraIssueSchema, statusOf, type JiraIssueStatus } from './client';
import { hashWebhookSecret, requireConnection } from './connection';
import { JiraLinkIdSchema, type JiraLinkIdInput } from './schemas';

/**
 * Jira's status comes back to the links, never to the findings: a finding is resolved only by a snapshot that no
 * longer shows it, and a ticket only by people. Two ways in: Jira's webhook (jira:issue_updated, verified by the
 * connection's shared secret) and the poll (a search by key, from the maintenance job or "Refresh status").
 */

const POLL_BATCH = 100;

async function applyStatuses(ctx: OrgContext, statuses: readonly JiraIssueStatus[]): Promise<number> {
  let updated = 0;
  const now = new Date();
  const db = dbFor(ctx);
  for (const status of statuses) {
    const result = await db.jiraLink.updateMany({ where: { issueKey: status.key }, data: { status: status.status, statusCategory: status.statusCategory, lastSyncedAt: now } });
    updated += result.count;
  }
  return updated;
}

const WebhookBody = z.object({ webhookEvent: z.string(), issue: JiraIssueSchema.optional() }).loose();

function sameSecret(given: string, expectedHash: string): boolean {
  const a = Buffer.from(hashWebhookSecret(given), 'hex');
  const b = Buffer.from(expectedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Jira's webhook for one connection (public route): the secret must match the connection's (compared as hashes,
 * in constant time), or 401. An unknown connection is 404. Updates the link of the issue, if Bulwark has one.
 */
export async function receiveJiraWebhook(connectionId: string, secret: string | null, body: unknown): Promise<{ updated: number }> {
  if (!isUuid(connectionId)) throw new AppError('not_found', 'No such Jira webhook');
  // The one cross-tenant read of this room: the connection is found by its id before any organization is known.
  const connection = await systemDb().jiraConnection.findUnique({ where: { id: connectionId }, select: { id: true, organizationId: true, webhookSecretHash: true } });
  if (!connection) throw new AppError('not_found', 'No such Jira webhook');
  if (!secret || !sameSecret(secret, connection.webhookSecretHash)) throw new AppError('unauthenticated', 'The Jira webhook secret is wrong');
  const parsed = WebhookBody.safeParse(body);
  if (!parsed.success) throw new AppError('invalid', 'Not a Jira webhook payload (expected webhookEvent and issue)');
  if (!parsed.data.issue) return { updated: 0 };
  const ctx = systemContext(connection.organizationId, 'jira webhook');
  return { updated: await applyStatuses(ctx, [statusOf(parsed.data.issue)]) };
}

export type PollResult = { checked: number; updated: number; retryAfterSeconds?: number };

/**
 * Asks Jira for the status of the organization's linked issues (100 keys per search). Jira's 429 ends the round:
 * the result says when to come back, and nothing more is asked.
 */
export async function pollJiraLinks(ctx: OrgContext): Promise<PollResult> {
  const row = await dbFor(ctx).jiraConnection.findFirst({ select: { id: true } });
  if (!row) return { checked: 0, updated: 0 };
  const { client } = await requireConnection(ctx);
  const links = await dbFor(ctx).jiraLink.findMany({ select: { issueKey: true }, orderBy: { lastSyncedAt: 'asc' }, take: 1000 });
  const result: PollResult = { checked: 0, updated: 0 };
  for (let start = 0; start < links.length; start += POLL_BATCH) {
    const keys = links.slice(start, start + POLL_BATCH).map((l) => l.issueKey);
    try {
      const statuses = await client.searchStatuses(keys);
      result.checked += keys.length;
      result.updated += await applyStatuses(ctx, statuses);
    } catch (error) {
      if (isAppError(error) && error.code === 'rate_limited') {
        result.retryAfterSeconds = Number(error.headers['Retry-After'] ?? 60);
        return result;
      }
      throw error;
    }
  }
  return result;
}

/**
 * The maintenance job (every 5 minutes): one poll job per connected organization on the fair `jira` queue, so a
 * Jira that hangs until the client's timeout, or answers slowly, delays only its own organization's poll.
 * Cross-tenant by design: organization ids only.
 */
export async function offerJiraPolls(now: Date = new Date()): Promise<{ organizations: number }> {
  const connections = await systemDb().jiraConnection.findMany({ select: { organizationId: true } });
  for (const connection of connections) await enqueueJiraPoll({ organizationId: connection.organizationId }, now);
  return { organizations: connections.length };
}

/** One organization's poll (the `poll-jira-org` job); a failure is logged and the next round tries again. */
export async function pollOrganizationJira(organizationId: string): Promise<PollResult & { failed?: string }> {
  try {
    return await pollJiraLinks(systemContext(organizationId, 'jira poll'));
  } catch (error) {
    const message = isAppError(error) ? error.message : String(error);
    logger.warn({ organizationId, err: message }, 'jira poll failed');
    return { checked: 0, updated: 0, failed: message };
  }
}

/** "Refresh status" on a finding's or ticket's Jira issue: asks Jira now. */
export async function refreshJiraLink(ctx: OrgContext, input: JiraLinkIdInput) {
  authorize(ctx, 'jira.create');
  const { linkId } = parseInput(JiraLinkIdSchema, input);
  const link = await dbFor(ctx).jiraLink.findUnique({ where: { id: linkId } });
  if (!link) throw new AppError('not_found', 'Jira link not found');
  const { client } = await requireConnection(ctx);
  const status = await client.issueStatus(link.issueKey);
  await applyStatuses(ctx, [status]);
  return status;
}
