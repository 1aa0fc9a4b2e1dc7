import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { refusedJiraTarget } from './url-policy';

/**
 * A small Jira REST client (fetch, a timeout per call, zod on every answer). Cloud speaks REST v3 with Basic
 * e-mail:API-token; Server/Data Center speaks REST v2 with a Bearer personal access token. Written by hand rather
 * than with jira.js: Bulwark uses seven endpoints, needs its own address check before each call, and wants Jira's
 * refusals turned into AppErrors people can act on:
 * - 400 with `errors` → invalid, one issue per Jira field ("summary: You must specify a summary")
 * - 401/403 → bad_gateway "Jira refused: the credentials were not accepted"
 * - 404 → bad_gateway "Jira refused: <Jira's message>"
 * - 429 → rate_limited with Jira's Retry-After passed on
 * - 5xx, timeouts, unreachable → bad_gateway naming what happened
 */

export type JiraDeployment = 'cloud' | 'server';
export type JiraCredentials = { deployment: JiraDeployment; baseUrl: string; email: string | null; token: string };

export const JIRA_TIMEOUT_MS = 10_000;

const ErrorBody = z.object({ errorMessages: z.array(z.string()).optional(), errors: z.record(z.string(), z.string()).optional() }).loose();

const Myself = z.object({ displayName: z.string(), emailAddress: z.string().optional(), accountId: z.string().optional(), name: z.string().optional() }).loose();
const ProjectRef = z.object({ id: z.string(), key: z.string(), name: z.string() }).loose();
const ProjectPage = z.object({ values: z.array(ProjectRef), isLast: z.boolean().optional() }).loose();
const IssueType = z.object({ id: z.string(), name: z.string(), subtask: z.boolean().optional() }).loose();
const Project = ProjectRef.extend({ issueTypes: z.array(IssueType).default([]) });
const Priority = z.object({ id: z.string(), name: z.string() }).loose();
const Created = z.object({ id: z.string(), key: z.string(), self: z.string() }).loose();
const Status = z.object({ name: z.string(), statusCategory: z.object({ key: z.string(), name: z.string().optional() }).loose() }).loose();
export const JiraIssueSchema = z.object({ id: z.string(), key: z.string(), fields: z.object({ status: Status }).loose() }).loose();
const SearchAnswer = z.object({ issues: z.array(JiraIssueSchema) }).loose();

export type JiraProject = z.infer<typeof Project>;
export type JiraIssueStatus = { key: string; status: string; statusCategory: string };

function apiBase(credentials: JiraCredentials): string {
  return `${credentials.baseUrl}/rest/api/${credentials.deployment === 'cloud' ? '3' : '2'}`;
}

function authorization(credentials: JiraCredentials): string {
  if (credentials.deployment === 'cloud') return `Basic ${Buffer.from(`${credentials.email ?? ''}:${credentials.token}`).toString('base64')}`;
  return `Bearer ${credentials.token}`;
}

function retryAfterSeconds(header: string | null): number {
  if (!header) return 60;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 60 : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

async function refusal(response: Response, what: string): Promise<AppError> {
  const text = await response.text().catch(() => '');
  let parsed: z.infer<typeof ErrorBody> | null = null;
  try { const body = ErrorBody.safeParse(JSON.parse(text)); parsed = body.success ? body.data : null; } catch { parsed = null; }
  const messages = (parsed?.errorMessages ?? []).filter(Boolean);
  const fieldErrors = Object.entries(parsed?.errors ?? {});
  if (response.status === 429) {
    const seconds = retryAfterSeconds(response.headers.get('retry-after'));
    return new AppError('rate_limited', `Jira is limiting requests; retry in ${seconds} s`, [], { 'Retry-After': String(seconds) });
  }
  if (response.status === 400 && fieldErrors.length > 0) {
    return new AppError('invalid', `Jira refused ${what}: ${fieldErrors.map(([field, message]) => `${field}: ${message}`).join('; ')}`,
      fieldErrors.map(([field, message]) => ({ path: field, message })));
  }
  if (response.status === 401 || response.status === 403) {
    return new AppError('bad_gateway', `Jira refused: the credentials were not accepted (${response.status})`);
  }
  const detail = messages.join(' ') || text.slice(0, 200).trim() || response.statusText;
  return new AppError('bad_gateway', `Jira refused ${what}: ${detail} (${response.status})`);
}

/** One call: address check, timeout, status mapping, zod on the answer. */
async function call<T>(credentials: JiraCredentials, method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, what: string, body?: unknown): Promise<T> {
  const refused = await refusedJiraTarget(credentials.baseUrl);
  if (refused) throw new AppError('invalid', refused, [{ path: 'baseUrl', message: refused }]);
  let response: Response;
  try {
    response = await fetch(`${apiBase(credentials)}/${path}`, {
      method,
      headers: { Authorization: authorization(credentials), Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(JIRA_TIMEOUT_MS),
    });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new AppError('bad_gateway', `Jira did not answer within ${JIRA_TIMEOUT_MS / 1000} s (${what})`);
    throw new AppError('bad_gateway', `Jira could not be reached at ${credentials.baseUrl} (${what})`);
  }
  if (response.status >= 300 && response.status < 400) throw new AppError('bad_gateway', `Jira answered ${what} with a redirect (${response.status}); check the base URL`);
  if (!response.ok) throw await refusal(response, what);
  let json: unknown;
  try { json = await response.json(); } catch { throw new AppError('bad_gateway', `Jira's answer to ${what} is not JSON`); }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AppError('bad_gateway', `Jira's answer to ${what} is not what its API documents`);
  return parsed.data;
}

export function jiraClient(credentials: JiraCredentials) {
  const cloud = credentials.deployment === 'cloud';
  return {
    myself: () => call(credentials, 'GET', 'myself', Myself, 'the credentials check'),
    async projects(): Promise<{ id: string; key: string; name: string }[]> {
      if (!cloud) return call(credentials, 'GET', 'project', z.array(ProjectRef), 'the project list');
      return (await call(credentials, 'GET', 'project/search?maxResults=100', ProjectPage, 'the project list')).values;
    },
    project: (key: string) => call(credentials, 'GET', `project/${encodeURIComponent(key)}`, Project, `project ${key}`),
    priorities: () => call(credentials, 'GET', 'priority', z.array(Priority), 'the priority list'),
    createIssue: (fields: Record<string, unknown>) => call(credentials, 'POST', 'issue', Created, 'the issue', { fields }),
    async issueStatus(key: string): Promise<JiraIssueStatus> {
      const issue = await call(credentials, 'GET', `issue/${encodeURIComponent(key)}?fields=status`, JiraIssueSchema, `issue ${key}`);
      return statusOf(issue);
    },
    /** Statuses of up to 100 issues in one search (the poll). */
    async searchStatuses(keys: readonly string[]): Promise<JiraIssueStatus[]> {
      if (keys.length === 0) return [];
      const jql = `key in (${keys.join(', ')})`;
      const answer = cloud
        ? await call(credentials, 'POST', 'search/jql', SearchAnswer, 'the status search', { jql, fields: ['status'], maxResults: 100 })
        : await call(credentials, 'POST', 'search', SearchAnswer, 'the status search', { jql, fields: ['status'], maxResults: 100, startAt: 0 });
      return answer.issues.map(statusOf);
    },
    browseUrl: (key: string) => `${credentials.baseUrl}/browse/${encodeURIComponent(key)}`,
  };
}
export type JiraClient = ReturnType<typeof jiraClient>;

export function statusOf(issue: z.infer<typeof JiraIssueSchema>): JiraIssueStatus {
  return { key: issue.key, status: issue.fields.status.name, statusCategory: issue.fields.status.statusCategory.key };
}
