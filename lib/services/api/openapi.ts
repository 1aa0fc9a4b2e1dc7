import { z } from 'zod';
import { ListFindingsQuerySchema } from '../findings/schemas';
import { ScoresQuerySchema } from '../scores/read-scores';
import { SetCisBenchmarkSchema } from '../orgs/settings';
import { CreateClusterSchema } from '../clusters/create-cluster';
import { DeleteClusterQuerySchema, PatchClusterBodySchema } from '../clusters/manage-cluster';
import { SnapshotSchema } from '../../analysis/snapshot/schema';
import { nodeReportSchema } from '../../analysis/snapshot/node-report';
import { UNCHANGED_NOTICE_CONTENT_TYPE, UnchangedNoticeSchema } from '../../analysis/snapshot/unchanged-notice';
import { webhookComponents, webhookOperations, webhookPaths } from './openapi-webhooks';
import { CreateScheduleSchema, PatchScheduleBodySchema } from '../reports/schedule-schemas';
import { DecisionBodySchema, ItemQuerySchema } from '../reviews/schemas';
import { CompareQuerySchema, WhatCanQuerySchema, WhoCanQuerySchema } from '../access/schemas';
import { CreateCustomControlSchema, CustomControlContentSchema, OrgFrameworkSchema, PreviewSchema } from '../policies/schemas';

type JsonSchema = Record<string, unknown>;

function schema(s: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Query parameters from a zod object: one OpenAPI parameter per key, documented from the same schema the route uses. */
function queryParameters(s: z.ZodType): JsonSchema[] {
  const json = schema(s) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name, in: 'query', required: json.required?.includes(name) ?? false, schema: property, ...(property.description ? { description: property.description } : {}),
  }));
}

const ERROR = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [String(code), { description: { 400: 'Invalid input', 401: 'Not signed in / bad token', 403: 'Role not allowed', 404: 'Not found (or not a member)', 409: 'Conflict', 413: 'Too large', 415: 'Unsupported media type', 429: 'Rate limited (see Retry-After)', 503: 'Unavailable' }[code] ?? 'Error', content: { 'application/json': { schema: ERROR } } }]));
const orgParam = { name: 'org', in: 'path', required: true, schema: { type: 'string' }, description: 'Organization slug' };
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });

/** The v1 API, served at /api/v1/openapi.json. Request schemas come from the zod schemas the routes validate with. */
export function openApiDocument(serverUrl: string): JsonSchema {
  return {
    openapi: '3.1.0',
    info: { title: 'Bulwark API', version: '1.0.0', description: 'Agent intake and the read API for integrations. Org routes accept an org API token (Authorization: Bearer bwk_...) or a browser session.' },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { agentToken: { type: 'http', scheme: 'bearer', description: 'Agent token (bwa_...), one per cluster' }, apiToken: { type: 'http', scheme: 'bearer', description: 'Organization API token (bwk_...). Rate limited per token and per organization (API_RATE_LIMIT_PER_MINUTE, API_ORG_RATE_LIMIT_PER_MINUTE): 429 with Retry-After' } },
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, requestId: { type: 'string' }, issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } } } } } },
        Snapshot: schema(SnapshotSchema),
        NodeReport: schema(nodeReportSchema),
        ...webhookComponents,
      },
    },
    webhooks: webhookOperations,
    paths: {
      '/api/v1/snapshots': {
        post: {
          summary: 'Push a snapshot (agent)', security: [{ agentToken: [] }],
          parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } }, { name: 'Content-Encoding', in: 'header', schema: { enum: ['gzip', 'identity'] } }],
          description: 'The full snapshot, or, when the cluster did not change since a snapshot the server accepted, a notice naming it (the server reuses that snapshot\'s body; 409 when it cannot, and the agent then sends the full snapshot). 400 naming collectedAt when it is more than INGEST_MAX_CLOCK_SKEW_SECONDS (300) ahead of the server\'s clock; 409 for an offline scan pushed with the token of a cluster that already reports live.',
          requestBody: { required: true, content: {
            'application/json': { schema: { $ref: '#/components/schemas/Snapshot' } },
            [UNCHANGED_NOTICE_CONTENT_TYPE]: { schema: schema(UnchangedNoticeSchema) },
          } },
          responses: { 202: ok('Accepted: {snapshotId, status}'), 200: ok('Already received: the first push\'s id'), ...errors(400, 401, 409, 413, 415, 429) },
        },
      },
      '/api/v1/node-reports': {
        post: {
          summary: 'Push a node report (agent node collector)', security: [{ agentToken: [] }],
          parameters: [{ name: 'Content-Encoding', in: 'header', schema: { enum: ['gzip', 'identity'] } }],
          description: 'One node\'s report (apiVersion bulwark.dev/node-report/v1; JSON Schema lib/analysis/snapshot/node-report.schema.json) from `npm run agent -- node --push`, with the agent token of the node\'s cluster. The server keeps the latest report per (cluster, node); a new or changed report re-evaluates the cluster\'s latest snapshot with it. 400 names the JSON paths of invalid fields and of values that still look like credentials; the same rate limits and upload slots as snapshot intake (429).',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NodeReport' } } } },
          responses: {
            202: ok('Stored (new or changed): {nodeReportId, nodeName, status: "stored", evaluation: {snapshotId, queued}}'),
            200: ok('Same content as the node\'s last report (status "unchanged"), or older than it (status "stale"): nothing re-evaluated'),
            ...errors(400, 401, 413, 415, 429, 503),
          },
        },
      },
      '/api/v1/orgs/{org}/clusters/{id}/nodes': { get: { summary: 'The cluster\'s nodes as their node collector last reported them: role (control-plane or worker), components seen, provider ID, managed provider (Amazon EKS, Google GKE, Azure AKS) if detected, collector version, collected, received and changed times, whether the node is stale (silent for more than maxAgeDays, so left out of evaluations), and its CIS sections 1-4 items (pass, fail, accepted, providerResponsibility, notAssessed) in the organization\'s benchmark version (cisVersion)', security: [{ apiToken: [] }], parameters: [orgParam, idParam], responses: { 200: ok('{maxAgeDays, cisVersion, cisFrameworkId, nodes}'), ...errors(401, 404, 429) } } },
      '/api/v1/snapshots/{id}': { get: { summary: 'Snapshot status (agent)', security: [{ agentToken: [] }], parameters: [idParam], responses: { 200: ok('queued | evaluating | done | failed | superseded'), ...errors(401, 404) } } },
      '/api/v1/orgs/{org}/clusters': {
        get: { summary: 'List clusters', security: [{ apiToken: [] }], parameters: [orgParam], responses: { 200: ok('{items}'), ...errors(401, 404, 429) } },
        post: { summary: 'Add a cluster (returns its agent token once)', security: [{ apiToken: [] }], parameters: [orgParam], requestBody: { required: true, content: { 'application/json': { schema: schema(CreateClusterSchema) } } }, responses: { 201: ok('{cluster, token}'), ...errors(400, 401, 403, 404, 409, 429) } },
      },
      '/api/v1/orgs/{org}/clusters/{id}': {
        get: { summary: 'Cluster detail', security: [{ apiToken: [] }], parameters: [orgParam, idParam], responses: { 200: ok('cluster, snapshots, tokens (prefix only), scores'), ...errors(401, 404, 429) } },
        patch: { summary: 'Rename, set environment and labels, archive (archived: true) or restore (false); owners and admins', security: [{ apiToken: [] }], parameters: [orgParam, idParam], requestBody: { required: true, content: { 'application/json': { schema: schema(PatchClusterBodySchema) } } }, responses: { 200: ok('{cluster}'), ...errors(400, 401, 403, 404, 409, 429) } },
        delete: { summary: 'Delete the cluster and its snapshots, findings and scores (the audit log keeps the deletion); owners and admins', security: [{ apiToken: [] }], parameters: [orgParam, idParam, ...queryParameters(DeleteClusterQuerySchema)], responses: { 200: ok('{deleted, name, snapshots, findings}'), ...errors(400, 401, 403, 404, 429) } },
      },
      '/api/v1/orgs/{org}/clusters/{id}/install-links': { post: { summary: 'A single-use install link (15 minutes) for `kubectl apply -f`; owners and admins', security: [{ apiToken: [] }], parameters: [orgParam, idParam], responses: { 201: ok('{url, command, expiresAt}'), ...errors(401, 403, 404, 409, 429) } } },
      '/api/v1/orgs/{org}/clusters/{id}/manifests': { get: { summary: 'The agent manifests for this cluster without a token (application/yaml)', security: [{ apiToken: [] }], parameters: [orgParam, idParam], responses: { 200: { description: 'multi-document YAML', content: { 'application/yaml': { schema: { type: 'string' } } } }, ...errors(401, 404, 429) } } },
      '/api/v1/orgs/{org}/clusters/{id}/admission-policies': { get: { summary: 'The cluster\'s own policies as its current evaluation found them (issue 23): each ValidatingAdmissionPolicy (controlId vap.<policy>, failurePolicy, activeFindings) with its bindings (validationActions, objects evaluated, violations, summary, or status not_evaluable with the reason: request, params, functions Bulwark lacks), Kyverno policies and Gatekeeper constraints as metadata (action, totalViolations), and each list\'s collection status (collected, forbidden, disabled with the reason, not_collected). recorded is false before the cluster\'s first evaluation with them', security: [{ apiToken: [] }], parameters: [orgParam, idParam], responses: { 200: ok('{clusterId, evaluatedAt, recorded, lists, policies: [{name, controlId, failurePolicy, activeFindings, bindings: [{name, validationActions, status, reason?, evaluated, violations, errors, summary}]}], kyverno, gatekeeper, kyvernoNotListed, gatekeeperNotListed}'), ...errors(401, 404, 429) } } },
      '/api/v1/orgs/{org}/clusters/{id}/access/who-can': { get: { summary: 'RBAC explorer (issue 22): every subject that can do verb on resource (+ subresource, + name) in namespace (any when omitted), each right with its chain (binding, role, rule, aggregatedFrom) and risks, through groups, wildcards and aggregation; unknown verbs and resources are answered. at: the latest evaluated snapshot at or before a date (404 before the cluster had one)', security: [{ apiToken: [] }], parameters: [orgParam, idParam, ...queryParameters(WhoCanQuerySchema)], responses: { 200: ok('{cluster, at: {snapshotId, collectedAt}, question, subjects: [{subject, description, rights: [{grant, risks, riskLabels, onlyNames?}]}]}'), ...errors(400, 401, 404, 429) } } },
      '/api/v1/orgs/{org}/clusters/{id}/access/what-can': { get: { summary: 'Everything a subject (User, Group, or ServiceAccount with its namespace) can do, including through the groups Kubernetes puts it in, by namespace (cluster-wide first), dangerous rights first; at as for who-can', security: [{ apiToken: [] }], parameters: [orgParam, idParam, ...queryParameters(WhatCanQuerySchema)], responses: { 200: ok('{cluster, at, subject, actingAs, namespaces: [{namespace, dangerous, entries: [{grant, risks, riskLabels, through?}]}]}'), ...errors(400, 401, 404, 429) } } },
      '/api/v1/orgs/{org}/clusters/{id}/access/compare': { get: { summary: 'Rights gained and lost per subject between the snapshot in force at from and at to (now when omitted), or between this cluster and otherCluster (each at to, or now); subjects that gained dangerous rights first, at most 200 changes listed per subject and direction (counts complete)', security: [{ apiToken: [] }], parameters: [orgParam, idParam, ...queryParameters(CompareQuerySchema)], responses: { 200: ok('{from: {cluster, at}, to: {cluster, at}, subjects: [{subject, description, gainedCount, lostCount, gainedRisks, gained, lost}]}'), ...errors(400, 401, 404, 429) } } },
      '/api/install/{org}/{token}': { get: { summary: 'Use an install link: the agent manifests with a new agent token, once', security: [], parameters: [orgParam, { name: 'token', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'multi-document YAML', content: { 'application/yaml': { schema: { type: 'string' } } } }, 410: { description: 'Used or expired', content: { 'application/json': { schema: ERROR } } }, ...errors(404, 409) } } },
      '/api/v1/orgs/{org}/findings': { get: { summary: 'List findings (keyset pagination; total counts every finding the filters match)', security: [{ apiToken: [] }], parameters: [orgParam, ...queryParameters(ListFindingsQuerySchema)], responses: { 200: ok('{items, nextCursor, total}'), ...errors(400, 401, 404, 429) } } },
      '/api/v1/orgs/{org}/findings/{id}': { get: { summary: 'Finding detail with timeline', security: [{ apiToken: [] }], parameters: [orgParam, idParam], responses: { 200: ok('finding'), ...errors(401, 404, 429) } } },
      '/api/v1/orgs/{org}/settings/benchmark': {
        get: { summary: 'The CIS Kubernetes Benchmark version the organization reports against (1.9 or 1.12) and its framework id', security: [{ apiToken: [] }], parameters: [orgParam], responses: { 200: ok('{version, frameworkId}'), ...errors(401, 404, 429) } },
        put: { summary: 'Choose the CIS Kubernetes Benchmark version (owners and admins); reports and forms use it from now on', security: [{ apiToken: [] }], parameters: [orgParam], requestBody: { required: true, content: { 'application/json': { schema: schema(SetCisBenchmarkSchema) } } }, responses: { 200: ok('{version, frameworkId}'), ...errors(400, 401, 403, 404, 429) } },
      },
      '/api/v1/orgs/{org}/scores': { get: { summary: 'Scores over time of one framework; framework=cis (the default) is the organization\'s CIS Kubernetes Benchmark version, and the answer names framework, version and the organization\'s choice', security: [{ apiToken: [] }], parameters: [orgParam, ...queryParameters(ScoresQuerySchema)], responses: { 200: ok('{framework, frameworkName, frameworkVersion, organizationCisVersion, cluster, points}'), ...errors(400, 401, 404, 429) } } },
      '/api/v1/orgs/{org}/reports': {
        get: { summary: 'Report archive', security: [{ apiToken: [] }], parameters: [orgParam], responses: { 200: ok('{items}'), ...errors(401, 403, 404, 429) } },
        post: { summary: 'Request a compliance report', security: [{ apiToken: [] }], parameters: [orgParam], responses: { 202: ok('report; report.duplicate is true when an identical report was already queued or running (that one is returned)'), ...errors(400, 401, 403, 404, 429, 503) } },
      },
      '/api/v1/orgs/{org}/report-schedules': {
        get: { summary: 'Report schedules (anyone who may read reports)', security: [{ apiToken: [] }], parameters: [orgParam], responses: { 200: ok('{items}: each schedule with cron, timeZone, recipients, enabled, nextRunAt, lastRunAt, lastReportId'), ...errors(401, 403, 404, 429) } },
        post: { summary: 'Schedule a report (auditors, admins, owners): cron in an IANA time zone, at most hourly; recipients are members allowed to download reports or approved external addresses; the report is mailed as a signed, expiring link', security: [{ apiToken: [] }], parameters: [orgParam], requestBody: { required: true, content: { 'application/json': { schema: schema(CreateScheduleSchema) } } }, responses: { 201: ok('{schedule}'), ...errors(400, 401, 403, 404, 429) } },
      },
      '/api/v1/orgs/{org}/report-schedules/{id}': {
        get: { summary: 'One report schedule', security: [{ apiToken: [] }], parameters: [orgParam, idParam], responses: { 200: ok('{schedule}'), ...errors(401, 403, 404, 429) } },
        patch: { summary: 'Change any field or pause/resume (enabled); the resulting schedule is validated whole; a new cron or time zone, or resuming, plans the next run from now', security: [{ apiToken: [] }], parameters: [orgParam, idParam], requestBody: { required: true, content: { 'application/json': { schema: schema(PatchScheduleBodySchema) } } }, responses: { 200: ok('{schedule}'), ...errors(400, 401, 403, 404, 429) } },
        delete: { summary: 'Delete the schedule (its reports stay in the archive)', security: [{ apiToken: [] }], parameters: [orgParam, idParam], responses: { 200: ok('{deleted: true}'), ...errors(401, 403, 404, 429) } },
      },
      '/api/v1/orgs/{org}/reviews': { get: { summary: 'Access review campaigns (issue 22), newest first, each with its progress (decided, kept, revoked, revocations carried out and overdue, new since the last completed campaign)', security: [{ apiToken: [] }], parameters: [orgParam], responses: { 200: ok('{campaigns}'), ...errors(401, 403, 404, 429) } } },
      '/api/v1/orgs/{org}/reviews/{id}': { get: { summary: 'One access review campaign: progress, per-reviewer progress, clusters, sign-off and summary', security: [{ apiToken: [] }], parameters: [orgParam, idParam], responses: { 200: ok('campaign'), ...errors(401, 403, 404, 429) } } },
      '/api/v1/orgs/{org}/reviews/{id}/items': { get: { summary: 'The campaign\'s frozen (cluster, subject, right) items with their decisions and revocation state, privileged first', security: [{ apiToken: [] }], parameters: [orgParam, idParam, ...queryParameters(ItemQuerySchema)], responses: { 200: ok('{total, limit, offset, items}'), ...errors(400, 401, 403, 404, 429) } } },
      '/api/v1/orgs/{org}/reviews/{id}/decisions': { post: { summary: 'Keep or revoke items (one shared reason; a reason is required to keep a privileged right). A decision is a person\'s: a signed-in session is required (API tokens get 403), and a reviewer\'s own access is refused (403 with why); 409 once the campaign is signed off', security: [{ apiToken: [] }], parameters: [orgParam, idParam], requestBody: { required: true, content: { 'application/json': { schema: schema(DecisionBodySchema) } } }, responses: { 200: ok('{decided, decision}'), ...errors(400, 401, 403, 404, 409, 429) } } },
      '/api/v1/orgs/{org}/custom-controls': {
        get: { summary: 'The organization\'s custom controls (issue 23): key, control id (custom.<key>), title, severity, enabled, current version, open findings', security: [{ apiToken: [] }], parameters: [orgParam], responses: { 200: ok('{items}'), ...errors(401, 403, 404, 429) } },
        post: { summary: 'Create a custom control, disabled, as version 1 (owners and admins). CEL is compiled on save: a 400 names each failing expression (rule.validations.N.expression) with line and column', security: [{ apiToken: [] }], parameters: [orgParam], requestBody: { required: true, content: { 'application/json': { schema: schema(CreateCustomControlSchema) } } }, responses: { 201: ok('{customControl}'), ...errors(400, 401, 403, 404, 429) } },
      },
      '/api/v1/orgs/{org}/custom-controls/{id}': {
        get: { summary: 'One custom control: current content and its versions (newest first: who, when, what changed)', security: [{ apiToken: [] }], parameters: [orgParam, idParam], responses: { 200: ok('{customControl}'), ...errors(401, 403, 404, 429) } },
        patch: { summary: 'Either {enabled: boolean} (disabling resolves the control\'s findings with the reason "control disabled"), or the whole new content, saved as a new version when it differs. Enabling, disabling and a new version of an enabled control queue a re-evaluation of each cluster\'s latest snapshot (reevaluatingClusters)', security: [{ apiToken: [] }], parameters: [orgParam, idParam], requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [{ type: 'object', properties: { enabled: { type: 'boolean' } }, required: ['enabled'], additionalProperties: false }, schema(CustomControlContentSchema)] } } } }, responses: { 200: ok('{customControl}'), ...errors(400, 401, 403, 404, 429) } },
      },
      '/api/v1/orgs/{org}/custom-controls/preview': {
        post: { summary: 'Run a draft rule on the latest evaluated snapshot of the chosen clusters (all active ones when none) and list the objects that fail and why; stores nothing (owners and admins). Runs in worker threads: 429 with Retry-After while the organization has a preview running, 503 with Retry-After when the pool is full; a cluster over the time or memory limit is stopped (stopped: true, with the reason)', security: [{ apiToken: [] }], parameters: [orgParam], requestBody: { required: true, content: { 'application/json': { schema: schema(PreviewSchema) } } }, responses: { 200: ok('{clusters}: per cluster evaluated, failing objects with messages, errors, stopped, durationMs'), ...errors(400, 401, 403, 404, 429, 503) } },
      },
      '/api/v1/orgs/{org}/org-frameworks': {
        get: { summary: 'The organization\'s own frameworks with their score and requirement results', security: [{ apiToken: [] }], parameters: [orgParam], responses: { 200: ok('{items}'), ...errors(401, 403, 404, 429) } },
        post: { summary: 'Create an organization framework (a key, a name, its requirements); custom controls map to <key>:<code>', security: [{ apiToken: [] }], parameters: [orgParam], requestBody: { required: true, content: { 'application/json': { schema: schema(OrgFrameworkSchema) } } }, responses: { 201: ok('{framework}'), ...errors(400, 401, 403, 404, 429) } },
      },
      '/api/v1/orgs/{org}/org-frameworks/{id}': {
        get: { summary: 'One organization framework: score, each requirement\'s status and the custom controls deciding it', security: [{ apiToken: [] }], parameters: [orgParam, idParam], responses: { 200: ok('{framework}'), ...errors(401, 403, 404, 429) } },
      },
      ...webhookPaths,
      '/api/v1/orgs/{org}/reports/{id}/download': { get: { summary: 'Download a finished report', security: [{ apiToken: [] }], parameters: [orgParam, idParam], responses: { 200: { description: 'The file; X-Content-SHA256 carries its hash' }, ...errors(401, 403, 404, 409, 429) } } },
    },
  };
}
