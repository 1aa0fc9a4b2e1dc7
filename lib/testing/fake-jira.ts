import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A local fake Jira for tests, e2e and the demo: node http on 127.0.0.1, speaking the shapes of the real REST API
 * (Cloud v3 under /rest/api/3, Server/Data Center v2 under /rest/api/2) for what Bulwark uses:
 * - GET  myself                       → the account ({accountId, displayName} on Cloud; {name, key, displayName} on DC)
 * - GET  project/search (v3), project (v2)  → projects (paged {values, isLast} on Cloud; a plain array on DC)
 * - GET  project/{key}                → the project with its `issueTypes`; 404 {errorMessages} when unknown
 * - GET  priority                     → [{id, name}]
 * - POST issue                        → 201 {id, key, self}; 400 {errorMessages: [], errors: {field: message}} when a
 *   field is wrong (project, issue type, summary, priority, labels with spaces, description in the wrong format)
 * - GET  issue/{key}                  → {id, key, self, fields: {summary, labels, priority, status: {name, statusCategory}}}
 * - POST search/jql (v3), search (v2) → issues matching `key in (A-1, A-2)` / `key = A-1`
 * and the errors: 401 for bad credentials (Basic e-mail:token on Cloud, Bearer PAT on DC), 429 with Retry-After
 * (`rateLimitNext`), any answer once (`failNext`), and a Jira that hangs until released (`hang`). Tests move an issue with `transition` and can have it call
 * Bulwark's Jira webhook (`sendWebhook`) with the real `jira:issue_updated` payload shape.
 */

export type FakeJiraStatus = { name: string; category: 'new' | 'indeterminate' | 'done' };
export type FakeJiraIssue = {
  id: string; key: string; projectKey: string; issueTypeId: string; summary: string;
  /** v3: an Atlassian Document Format object; v2: wiki text. */
  description: unknown; labels: string[]; priority: string | null; status: FakeJiraStatus;
};
export type FakeJiraRequest = { method: string; path: string; authorization: string | undefined; body: unknown };

export type FakeJira = {
  url: string;
  credentials: { email: string; apiToken: string; pat: string };
  issues: Map<string, FakeJiraIssue>;
  requests: FakeJiraRequest[];
  /** Sets an issue's status, as a Jira workflow transition would. */
  transition(key: string, status: FakeJiraStatus): FakeJiraIssue;
  /** The next request gets 429 with this Retry-After (seconds). */
  rateLimitNext(retryAfterSeconds: number): void;
  /** The next request (or the next to a path containing `pathPart`) gets this answer. */
  failNext(answer: { status: number; body: unknown; pathPart?: string }): void;
  /**
   * From now on requests are held unanswered (a Jira that hangs) until `release()` answers them normally. `held`
   * lists the requests waiting; each says whether the client gave up on it (closed the connection).
   */
  hang(): { held: { path: string; abandoned: boolean }[]; release(): void };
  /** POSTs the `jira:issue_updated` event for an issue to a URL (Bulwark's webhook), as Jira's webhooks do. */
  sendWebhook(url: string, key: string): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
};

const CATEGORY_NAMES: Record<FakeJiraStatus['category'], { id: number; name: string; colorName: string }> = {
  new: { id: 2, name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, name: 'Done', colorName: 'green' },
};

const PROJECTS = [
  { id: '10000', key: 'SEC', name: 'Security', issueTypes: [{ id: '10001', name: 'Task', subtask: false }, { id: '10002', name: 'Bug', subtask: false }, { id: '10003', name: 'Sub-task', subtask: true }] },
  { id: '10010', key: 'OPS', name: 'Operations', issueTypes: [{ id: '10011', name: 'Task', subtask: false }] },
];
const PRIORITIES = [{ id: '1', name: 'Highest' }, { id: '2', name: 'High' }, { id: '3', name: 'Medium' }, { id: '4', name: 'Low' }, { id: '5', name: 'Lowest' }];

/** With `tls` (a key and certificate for 127.0.0.1, lib/testing/loopback-tls.ts) it speaks https, as production Bulwark requires. */
export async function startFakeJira(options: { email?: string; apiToken?: string; pat?: string; tls?: { keyPem: string; certPem: string } } = {}): Promise<FakeJira> {
  const credentials = { email: options.email ?? 'bot@example.test', apiToken: options.apiToken ?? 'fake-jira-api-token', pat: options.pat ?? 'fake-jira-personal-access-token' };
  const issues = new Map<string, FakeJiraIssue>();
  const requests: FakeJiraRequest[] = [];
  const counters = new Map<string, number>();
  let rateLimit: number | null = null;
  const failures: { status: number; body: unknown; pathPart?: string }[] = [];
  let url = '';

  const basic = `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString('base64')}`;
  const bearer = `Bearer ${credentials.pat}`;

  function issueJson(issue: FakeJiraIssue, version: '2' | '3') {
    const category = CATEGORY_NAMES[issue.status.category];
    return {
      id: issue.id, key: issue.key, self: `${url}/rest/api/${version}/issue/${issue.id}`,
      fields: {
        summary: issue.summary, labels: issue.labels, description: issue.description,
        priority: issue.priority ? PRIORITIES.find((p) => p.name === issue.priority) : null,
        issuetype: PROJECTS.flatMap((p) => p.issueTypes).find((t) => t.id === issue.issueTypeId),
        project: { key: issue.projectKey },
        status: { name: issue.status.name, id: issue.status.category === 'done' ? '10002' : '10000', statusCategory: { ...category, key: issue.status.category } },
      },
    };
  }

  function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json;charset=UTF-8', ...headers });
    response.end(text);
  }

  function keysOf(jql: string): string[] {
    const list = /key\s+in\s*\(([^)]*)\)/i.exec(jql)?.[1] ?? /key\s*=\s*"?([A-Z][A-Z0-9]*-\d+)"?/i.exec(jql)?.[1] ?? '';
    return list.split(',').map((k) => k.trim().replace(/^"|"$/g, '')).filter(Boolean);
  }

  function createIssue(version: '2' | '3', body: unknown, response: ServerResponse): void {
    const fields = (body as { fields?: Record<string, unknown> } | null)?.fields ?? {};
    const errors: Record<string, string> = {};
    const projectRef = fields.project as { key?: string; id?: string } | undefined;
    const project = PROJECTS.find((p) => p.key === projectRef?.key || p.id === projectRef?.id);
    if (!project) errors.project = 'valid project is required';
    const typeRef = fields.issuetype as { id?: string; name?: string } | undefined;
    const issueType = project?.issueTypes.find((t) => t.id === typeRef?.id || t.name === typeRef?.name);
    if (project && !issueType) errors.issuetype = 'The issue type selected is invalid.';
    const summary = fields.summary;
    if (typeof summary !== 'string' || summary.trim() === '') errors.summary = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    const labels = fields.labels ?? [];
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || /\s/.test(l))) errors.labels = 'The label must not contain spaces.';
    const priorityRef = fields.priority as { name?: string; id?: string } | undefined;
    const priority = priorityRef ? PRIORITIES.find((p) => p.name === priorityRef.name || p.id === priorityRef.id) : undefined;
    if (priorityRef && !priority) errors.priority = `Specify the Priority (id or name) in the string format`;
    const description = fields.description;
    if (description !== undefined) {
      const adf = typeof description === 'object' && description !== null && (description as { type?: unknown }).type === 'doc';
      if (version === '3' && !adf) errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
      if (version === '2' && typeof description !== 'string') errors.description = 'Operation value must be a string';
    }
    if (Object.keys(errors).length > 0 || !project || !issueType) { send(response, 400, { errorMessages: [], errors }); return; }
    const number = (counters.get(project.key) ?? 0) + 1;
    counters.set(project.key, number);
    const id = String(10000 + issues.size + 1);
    const issue: FakeJiraIssue = {
      id, key: `${project.key}-${number}`, projectKey: project.key, issueTypeId: issueType.id, summary: summary as string,
      description, labels: labels as string[], priority: priority?.name ?? null, status: { name: 'To Do', category: 'new' },
    };
    issues.set(issue.key, issue);
    send(response, 201, { id, key: issue.key, self: `${url}/rest/api/${version}/issue/${id}` });
  }

  let hanging: { held: { path: string; abandoned: boolean; answer: () => void }[] } | null = null;

  function handle(request: IncomingMessage, response: ServerResponse, rawBody: string): void {
    if (hanging) {
      const entry = { path: request.url ?? '/', abandoned: false, answer: () => handle(request, response, rawBody) };
      response.on('close', () => { if (!response.writableEnded) entry.abandoned = true; });
      hanging.held.push(entry);
      return;
    }
    const target = new URL(request.url ?? '/', 'http://fake-jira');
    let body: unknown = null;
    if (rawBody) { try { body = JSON.parse(rawBody); } catch { send(response, 400, { errorMessages: ['Unexpected character in JSON'], errors: {} }); return; } }
    requests.push({ method: request.method ?? 'GET', path: target.pathname + target.search, authorization: request.headers.authorization, body });

    if (rateLimit !== null) {
      const seconds = rateLimit;
      rateLimit = null;
      send(response, 429, { errorMessages: ['Rate limit exceeded.'] }, { 'Retry-After': String(seconds) });
      return;
    }
    const failure = failures.findIndex((f) => !f.pathPart || target.pathname.includes(f.pathPart));
    if (failure >= 0) {
      const [answer] = failures.splice(failure, 1);
      if (answer) { send(response, answer.status, answer.body); return; }
    }
    const match = /^\/rest\/api\/(2|3)\/(.*)$/.exec(target.pathname);
    if (!match) { send(response, 404, 'Not Found'); return; }
    const version = match[1] as '2' | '3';
    const path = match[2] ?? '';
    const authorization = request.headers.authorization;
    if (authorization !== (version === '3' ? basic : bearer)) {
      send(response, 401, 'Client must be authenticated to access this resource.', { 'WWW-Authenticate': 'OAuth realm="https%3A%2F%2Ffake-jira"' });
      return;
    }
    const method = request.method ?? 'GET';

    if (method === 'GET' && path === 'myself') {
      send(response, 200, version === '3'
        ? { accountId: '5b10a2844c20165700ede21g', accountType: 'atlassian', emailAddress: credentials.email, displayName: 'Bulwark Bot', active: true, timeZone: 'UTC' }
        : { name: 'bulwark-bot', key: 'JIRAUSER10100', emailAddress: credentials.email, displayName: 'Bulwark Bot', active: true, timeZone: 'UTC' });
      return;
    }
    if (method === 'GET' && version === '3' && path === 'project/search') {
      const values = PROJECTS.map(({ issueTypes: _types, ...p }) => ({ ...p, self: `${url}/rest/api/3/project/${p.id}`, projectTypeKey: 'software' }));
      send(response, 200, { self: `${url}/rest/api/3/project/search`, maxResults: 50, startAt: 0, total: values.length, isLast: true, values });
      return;
    }
    if (method === 'GET' && version === '2' && path === 'project') {
      send(response, 200, PROJECTS.map(({ issueTypes: _types, ...p }) => ({ ...p, self: `${url}/rest/api/2/project/${p.id}`, projectTypeKey: 'software' })));
      return;
    }
    const projectMatch = /^project\/([^/]+)$/.exec(path);
    if (method === 'GET' && projectMatch) {
      const ref = decodeURIComponent(projectMatch[1] ?? '');
      const project = PROJECTS.find((p) => p.key === ref || p.id === ref);
      if (!project) { send(response, 404, { errorMessages: [`No project could be found with key '${ref}'.`], errors: {} }); return; }
      send(response, 200, { ...project, self: `${url}/rest/api/${version}/project/${project.id}`, issueTypes: project.issueTypes.map((t) => ({ ...t, self: `${url}/rest/api/${version}/issuetype/${t.id}` })) });
      return;
    }
    if (method === 'GET' && path === 'priority') { send(response, 200, PRIORITIES.map((p) => ({ ...p, self: `${url}/rest/api/${version}/priority/${p.id}` }))); return; }
    if (method === 'POST' && path === 'issue') { createIssue(version, body, response); return; }
    const issueMatch = /^issue\/([^/]+)$/.exec(path);
    if (method === 'GET' && issueMatch) {
      const ref = decodeURIComponent(issueMatch[1] ?? '');
      const issue = issues.get(ref) ?? [...issues.values()].find((i) => i.id === ref);
      if (!issue) { send(response, 404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} }); return; }
      send(response, 200, issueJson(issue, version));
      return;
    }
    if (method === 'POST' && ((version === '3' && path === 'search/jql') || (version === '2' && path === 'search'))) {
      const jql = (body as { jql?: unknown } | null)?.jql;
      if (typeof jql !== 'string') { send(response, 400, { errorMessages: ['The JQL query is required.'], errors: {} }); return; }
      const found = keysOf(jql).map((k) => issues.get(k)).filter((i): i is FakeJiraIssue => i !== undefined).map((i) => issueJson(i, version));
      send(response, 200, version === '3' ? { issues: found, isLast: true } : { startAt: 0, maxResults: 50, total: found.length, issues: found });
      return;
    }
    send(response, 404, { errorMessages: ['null for uri: ' + target.pathname], errors: {} });
  }

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  };
  const server: Server = options.tls ? createTlsServer({ key: options.tls.keyPem, cert: options.tls.certPem }, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url, credentials, issues, requests,
    transition(key, status) {
      const issue = issues.get(key);
      if (!issue) throw new Error(`fake Jira has no issue ${key}`);
      issue.status = status;
      return issue;
    },
    rateLimitNext(seconds) { rateLimit = seconds; },
    failNext(answer) { failures.push(answer); },
    async sendWebhook(target, key) {
      const issue = issues.get(key);
      if (!issue) throw new Error(`fake Jira has no issue ${key}`);
      const response = await fetch(target, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'User-Agent': 'Atlassian Webhook HTTP Client' },
        body: JSON.stringify({ timestamp: Date.now(), webhookEvent: 'jira:issue_updated', issue_event_type_name: 'issue_generic', issue: issueJson(issue, '3') }),
      });
      return { status: response.status, body: await response.text() };
    },
    hang() {
      const state: { held: { path: string; abandoned: boolean; answer: () => void }[] } = { held: [] };
      hanging = state;
      return {
        held: state.held,
        release() {
          if (hanging === state) hanging = null;
          for (const entry of state.held.splice(0)) if (!entry.abandoned) entry.answer();
        },
      };
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
