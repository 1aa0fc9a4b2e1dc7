import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { env } from '../../platform/env';
import { AppError, isAppError } from '../../platform/errors';
import { parseInput } from '../../platform/input';
import { findingPath, resourceLabel, ticketPath } from '../../platform/app-links';
import { writeAudit } from '../audit/write-audit';
import { requireConnection, type JiraPriorityMap } from './connection';
import type { JiraDeployment } from './client';
import { BulkCreateJiraIssuesSchema, CreateJiraIssueSchema, type BulkCreateJiraIssuesInput, type CreateJiraIssueInput } from './schemas';

const TICKET_SEVERITY = { SEV1: 'CRITICAL', SEV2: 'HIGH', SEV3: 'MEDIUM', SEV4: 'LOW' } as const;
const EVIDENCE_SUMMARY_CHARS = 1500;

/** What goes into a Jira issue, before it is spelled for Cloud (ADF) or Server (wiki text). */
type IssueContent = { summary: string; lines: string[]; link: string; labels: string[]; severity: keyof JiraPriorityMap };

/** A Jira label may not contain spaces; a control id like "CIS 5.1.1" becomes "CIS_5.1.1". */
export function jiraLabel(value: string): string {
  return value.trim().replace(/\s+/g, '_').slice(0, 255);
}

/** The finding's evidence as short `key: value` lines (nested values as compact JSON), cut to a readable size. */
export function evidenceSummary(evidence: unknown): string[] {
  if (evidence === null || typeof evidence !== 'object') return evidence === null || evidence === undefined ? [] : [String(evidence)];
  const lines: string[] = [];
  let length = 0;
  for (const [key, value] of Object.entries(evidence as Record<string, unknown>)) {
    const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
    const line = `${key}: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
    if (length + line.length > EVIDENCE_SUMMARY_CHARS) { lines.push('…'); break; }
    lines.push(line);
    length += line.length;
  }
  return lines;
}

/** Cloud (REST v3) takes the description as an Atlassian Document; Server/Data Center (v2) as wiki text. */
function description(deployment: JiraDeployment, content: IssueContent): unknown {
  if (deployment === 'server') return [...content.lines, '', `[Open in Bulwark|${content.link}]`].join('\n');
  const paragraph = (text: string) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });
  return {
    type: 'doc', version: 1,
    content: [
      ...content.lines.map(paragraph),
      { type: 'paragraph', content: [{ type: 'text', text: 'Open in Bulwark', marks: [{ type: 'link', attrs: { href: content.link } }] }] },
    ],
  };
}

function absolute(path: string): string {
  return `${env().APP_URL.replace(/\/+$/, '')}${path}`;
}

async function findingContent(ctx: OrgContext, findingId: string): Promise<IssueContent> {
  authorize(ctx, 'finding.read');
  const finding = await dbFor(ctx).finding.findUnique({ where: { id: findingId }, include: { cluster: { select: { name: true } } } });
  if (!finding) throw new AppError('not_found', 'Finding not found');
  const resource = resourceLabel(finding);
  const evidence = evidenceSummary(finding.evidence);
  return {
    summary: `[${finding.controlId}] ${finding.message}`.slice(0, 250),
    lines: [
      finding.message, `Control: ${finding.controlId}`, `Severity: ${finding.severity}`, `Cluster: ${finding.cluster.name}`, `Resource: ${resource}`,
      ...(evidence.length > 0 ? ['Evidence:', ...evidence] : []),
    ],
    link: absolute(findingPath(ctx.organizationSlug, finding.id)),
    labels: ['bulwark', jiraLabel(finding.controlId)],
    severity: finding.severity,
  };
}

async function ticketContent(ctx: OrgContext, ticketId: string): Promise<IssueContent> {
  authorize(ctx, 'ticket.read');
  const ticket = await dbFor(ctx).ticket.findUnique({ where: { id: ticketId }, include: { findings: { select: { finding: { select: { controlId: true } } }, take: 20 } } });
  if (!ticket) throw new AppError('not_found', 'Ticket not found');
  const controls = [...new Set(ticket.findings.map((f) => f.finding.controlId))];
  return {
    summary: `[Bulwark #${ticket.number}] ${ticket.title}`.slice(0, 250),
    lines: [ticket.title, ...(ticket.description ? [ticket.description.slice(0, 2000)] : []), `Severity: ${ticket.severity}`, ...(controls.length > 0 ? [`Controls: ${controls.join(', ')}`] : [])],
    link: absolute(ticketPath(ctx.organizationSlug, ticket.number)),
    labels: ['bulwark', ...controls.slice(0, 10).map(jiraLabel)],
    severity: TICKET_SEVERITY[ticket.severity],
  };
}

export type JiraLinkView = { id: string; issueKey: string; url: string; status: string; statusCategory: string; lastSyncedAt: Date };

/**
 * Creates a Jira issue for a finding or a ticket in the connection's project, with its issue type and the priority
 * mapped from the severity; labels `bulwark` and the control id; the description carries the evidence and a link
 * back. A subject that already has an issue gets 409 naming it. Jira's refusals come back as AppErrors (client.ts).
 */
export async function createJiraIssue(ctx: OrgContext, input: CreateJiraIssueInput): Promise<JiraLinkView> {
  authorize(ctx, 'jira.create');
  const data = parseInput(CreateJiraIssueSchema, input);
  const { row, client } = await requireConnection(ctx);
  if (!row.projectKey || !row.issueTypeId) throw new AppError('invalid', 'Choose a Jira project and issue type first (Settings → Integrations → Jira)');
  const db = dbFor(ctx);
  const existing = await db.jiraLink.findFirst({ where: data.findingId ? { findingId: data.findingId } : { ticketId: data.ticketId } });
  if (existing) throw new AppError('conflict', `Already linked to Jira issue ${existing.issueKey}`);
  const content = data.findingId ? await findingContent(ctx, data.findingId) : await ticketContent(ctx, data.ticketId as string);
  const priority = (row.priorityMap as JiraPriorityMap | null)?.[content.severity];
  const created = await client.createIssue({
    project: { key: row.projectKey },
    issuetype: { id: row.issueTypeId },
    summary: content.summary,
    description: description(row.deployment as JiraDeployment, content),
    labels: content.labels,
    ...(priority ? { priority: { name: priority } } : {}),
  });
  return db.$transaction(async (tx) => {
    const link = await tx.jiraLink.create({
      data: {
        organizationId: ctx.organizationId, findingId: data.findingId ?? null, ticketId: data.ticketId ?? null, issueKey: created.key,
        url: client.browseUrl(created.key), status: 'To Do', statusCategory: 'new', createdById: actorUserId(ctx),
      },
    });
    await writeAudit(tx, ctx, { action: 'jira.issue_created', targetType: data.findingId ? 'Finding' : 'Ticket', targetId: data.findingId ?? data.ticketId, after: { issueKey: created.key } });
    return viewOf(link);
  });
}

export type BulkJiraResult = { created: { findingId: string; issueKey: string }[]; skipped: { findingId: string; reason: string }[] };

/** "Create Jira issues" for a selection on the findings list: one issue per finding; already linked ones are skipped. Stops at Jira's rate limit, reporting the rest. */
export async function bulkCreateJiraIssues(ctx: OrgContext, input: BulkCreateJiraIssuesInput): Promise<BulkJiraResult> {
  authorize(ctx, 'jira.create');
  const data = parseInput(BulkCreateJiraIssuesSchema, input);
  const result: BulkJiraResult = { created: [], skipped: [] };
  const ids = [...new Set(data.findingIds)];
  for (const [index, findingId] of ids.entries()) {
    try {
      const link = await createJiraIssue(ctx, { findingId });
      result.created.push({ findingId, issueKey: link.issueKey });
    } catch (error) {
      if (!isAppError(error)) throw error;
      result.skipped.push({ findingId, reason: error.message });
      if (error.code === 'rate_limited') {
        for (const rest of ids.slice(index + 1)) result.skipped.push({ findingId: rest, reason: error.message });
        break;
      }
    }
  }
  return result;
}

function viewOf(link: { id: string; issueKey: string; url: string; status: string; statusCategory: string; lastSyncedAt: Date }): JiraLinkView {
  return { id: link.id, issueKey: link.issueKey, url: link.url, status: link.status, statusCategory: link.statusCategory, lastSyncedAt: link.lastSyncedAt };
}

/** The Jira issues of a finding or a ticket, for their pages. */
export async function jiraLinksFor(ctx: OrgContext, subject: { findingId: string } | { ticketId: string }): Promise<JiraLinkView[]> {
  authorize(ctx, 'findingId' in subject ? 'finding.read' : 'ticket.read');
  const links = await dbFor(ctx).jiraLink.findMany({ where: subject, orderBy: { createdAt: 'asc' } });
  return links.map(viewOf);
}
