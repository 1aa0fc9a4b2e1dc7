import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { open, seal } from '../../platform/auth/secret-box';
import { dbFor } from '../../platform/db/tenant';
import { AppError, isAppError } from '../../platform/errors';
import { parseInput } from '../../platform/input';
import { writeAudit } from '../audit/write-audit';
import { jiraClient, type JiraClient, type JiraCredentials, type JiraDeployment } from './client';
import { ConnectJiraSchema, JiraSettingsSchema, JIRA_SEVERITIES, type ConnectJiraInput, type JiraSettingsInput } from './schemas';
import { normalizeBaseUrl } from './url-policy';

export type JiraPriorityMap = Partial<Record<(typeof JIRA_SEVERITIES)[number], string>>;

/** The secret box binds a token to its connection row: a ciphertext copied to another row does not open. */
const tokenContext = (connectionId: string) => `jira-connection:${connectionId}:token`;

export function hashWebhookSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The path of the organization's Jira webhook, relative to APP_URL; the secret travels in `?secret=`. */
export function jiraWebhookPath(connectionId: string): string {
  return `/api/jira/webhook/${connectionId}`;
}

type ConnectionRow = NonNullable<Awaited<ReturnType<ReturnType<typeof dbFor>['jiraConnection']['findFirst']>>>;

/** The connection as pages show it: never the token, never the webhook secret. */
export function connectionView(row: ConnectionRow) {
  return {
    id: row.id, deployment: row.deployment as JiraDeployment, baseUrl: row.baseUrl, email: row.email, accountName: row.accountName,
    projectKey: row.projectKey, projectName: row.projectName, issueTypeId: row.issueTypeId, issueTypeName: row.issueTypeName,
    priorityMap: (row.priorityMap ?? {}) as JiraPriorityMap, webhookPath: jiraWebhookPath(row.id), updatedAt: row.updatedAt,
  };
}
export type JiraConnectionView = ReturnType<typeof connectionView>;

export function credentialsOf(row: ConnectionRow): JiraCredentials {
  return { deployment: row.deployment as JiraDeployment, baseUrl: row.baseUrl, email: row.email, token: open({ ciphertext: row.tokenCiphertext, keyId: row.tokenKeyId }, tokenContext(row.id)) };
}

/**
 * Connects Jira (or replaces the connection): checks the credentials against Jira's /myself before anything is
 * saved, seals the token, and returns the webhook secret this once (only its hash is kept). A refused token is a
 * 400 naming the token field; nothing is stored.
 */
export async function connectJira(ctx: OrgContext, input: ConnectJiraInput) {
  authorize(ctx, 'jira.manage');
  const data = parseInput(ConnectJiraSchema, input);
  const credentials: JiraCredentials = { deployment: data.deployment, baseUrl: normalizeBaseUrl(data.baseUrl), email: data.deployment === 'cloud' ? (data.email ?? null) : null, token: data.token };
  let account;
  try {
    account = await jiraClient(credentials).myself();
  } catch (error) {
    if (isAppError(error) && error.code === 'bad_gateway' && /credentials were not accepted/.test(error.message)) {
      const field = data.deployment === 'cloud' ? 'the e-mail and API token' : 'the personal access token';
      throw new AppError('invalid', `Jira refused ${field} (check them, and that the account may use the REST API)`, [{ path: 'token', message: `Jira did not accept ${field}` }]);
    }
    throw error;
  }
  const webhookSecret = randomBytes(24).toString('base64url');
  const db = dbFor(ctx);
  return db.$transaction(async (tx) => {
    const existing = await tx.jiraConnection.findFirst({ select: { id: true } });
    const id = existing?.id ?? randomUUID();
    const sealed = seal(credentials.token, tokenContext(id));
    const fields = {
      deployment: credentials.deployment, baseUrl: credentials.baseUrl, email: credentials.email, tokenCiphertext: sealed.ciphertext, tokenKeyId: sealed.keyId,
      accountName: account.displayName, webhookSecretHash: hashWebhookSecret(webhookSecret),
    };
    const row = existing
      ? await tx.jiraConnection.update({ where: { id }, data: { ...fields, projectKey: null, projectName: null, issueTypeId: null, issueTypeName: null } })
      : await tx.jiraConnection.create({ data: { id, organizationId: ctx.organizationId, createdById: actorUserId(ctx), ...fields } });
    await writeAudit(tx, ctx, { action: existing ? 'jira.reconnected' : 'jira.connected', targetType: 'JiraConnection', targetId: row.id, after: { deployment: row.deployment, baseUrl: row.baseUrl, email: row.email, account: row.accountName } });
    return { connection: connectionView(row), webhookSecret };
  });
}

export async function getJiraConnectionRow(ctx: OrgContext) {
  return dbFor(ctx).jiraConnection.findFirst();
}

/** The connection for the settings page (admins), or null. */
export async function getJiraConnection(ctx: OrgContext): Promise<JiraConnectionView | null> {
  authorize(ctx, 'jira.manage');
  const row = await getJiraConnectionRow(ctx);
  return row ? connectionView(row) : null;
}

/** Whether issues can be created (connected, with a project and issue type), for the finding and ticket pages. */
export async function jiraReady(ctx: OrgContext): Promise<boolean> {
  const row = await dbFor(ctx).jiraConnection.findFirst({ select: { projectKey: true, issueTypeId: true } });
  return Boolean(row?.projectKey && row.issueTypeId);
}

async function requireConnection(ctx: OrgContext): Promise<{ row: ConnectionRow; client: JiraClient }> {
  const row = await getJiraConnectionRow(ctx);
  if (!row) throw new AppError('not_found', 'Jira is not connected (Settings → Integrations → Jira)');
  return { row, client: jiraClient(credentialsOf(row)) };
}

/** What the settings form offers, fetched from Jira: projects, the chosen project's issue types, priorities. */
export async function jiraOptions(ctx: OrgContext, projectKey?: string) {
  authorize(ctx, 'jira.manage');
  const { row, client } = await requireConnection(ctx);
  const key = projectKey ?? row.projectKey ?? undefined;
  const [projects, priorities, project] = await Promise.all([client.projects(), client.priorities(), key ? client.project(key) : Promise.resolve(null)]);
  return {
    projects: projects.map((p) => ({ key: p.key, name: p.name })),
    issueTypes: (project?.issueTypes ?? []).filter((t) => !t.subtask).map((t) => ({ id: t.id, name: t.name })),
    priorities: priorities.map((p) => p.name),
  };
}

/** Saves the project, issue type and severity → priority map, each checked against what Jira offers. */
export async function saveJiraSettings(ctx: OrgContext, input: JiraSettingsInput) {
  authorize(ctx, 'jira.manage');
  const data = parseInput(JiraSettingsSchema, input);
  const { row, client } = await requireConnection(ctx);
  let project;
  try {
    project = await client.project(data.projectKey);
  } catch (error) {
    if (isAppError(error) && error.code === 'bad_gateway' && /\(404\)$/.test(error.message)) {
      throw new AppError('invalid', `Jira has no project ${data.projectKey} that this account can see`, [{ path: 'projectKey', message: `No project ${data.projectKey} in Jira` }]);
    }
    throw error;
  }
  const issueType = project.issueTypes.find((t) => t.id === data.issueTypeId);
  if (!issueType) throw new AppError('invalid', `Project ${project.key} has no issue type ${data.issueTypeId}`, [{ path: 'issueTypeId', message: 'Choose one of the project\'s issue types' }]);
  const priorityMap: JiraPriorityMap = {};
  const mapped = Object.entries(data.priorityMap).filter(([, name]) => name);
  if (mapped.length > 0) {
    const names = new Set((await client.priorities()).map((p) => p.name));
    for (const [severity, name] of mapped) {
      if (!names.has(name as string)) throw new AppError('invalid', `Jira has no priority "${name}"`, [{ path: `priorityMap.${severity}`, message: `Jira has no priority "${name}"` }]);
      priorityMap[severity as keyof JiraPriorityMap] = name as string;
    }
  }
  return dbFor(ctx).$transaction(async (tx) => {
    const updated = await tx.jiraConnection.update({ where: { id: row.id }, data: { projectKey: project.key, projectName: project.name, issueTypeId: issueType.id, issueTypeName: issueType.name, priorityMap } });
    await writeAudit(tx, ctx, { action: 'jira.settings_changed', targetType: 'JiraConnection', targetId: row.id, before: { projectKey: row.projectKey, issueTypeId: row.issueTypeId, priorityMap: row.priorityMap }, after: { projectKey: updated.projectKey, issueTypeId: updated.issueTypeId, priorityMap } });
    return connectionView(updated);
  });
}

/** Removes the connection (its token with it); links stay, with their last known status. */
export async function disconnectJira(ctx: OrgContext): Promise<void> {
  authorize(ctx, 'jira.manage');
  await dbFor(ctx).$transaction(async (tx) => {
    const row = await tx.jiraConnection.findFirst();
    if (!row) throw new AppError('not_found', 'Jira is not connected');
    await tx.jiraConnection.delete({ where: { id: row.id } });
    await writeAudit(tx, ctx, { action: 'jira.disconnected', targetType: 'JiraConnection', targetId: row.id, before: { baseUrl: row.baseUrl } });
  });
}

export { requireConnection };
