import { z } from 'zod';
import type { ExceptionScope, FindingStatus, Severity } from '../../platform/db/client';

// Forms import this file in the browser: types only from lib/platform/db (erased), values spelled out here.
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const satisfies readonly Severity[];
export const FINDING_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RISK_ACCEPTED', 'RESOLVED'] as const satisfies readonly FindingStatus[];
export const EXCEPTION_SCOPES = ['RESOURCE', 'NAMESPACE', 'CLUSTER'] as const satisfies readonly ExceptionScope[];
export const FINDING_SORTS = ['severity', 'lastSeenAt', 'dueAt'] as const;
/**
 * Where a finding comes from: Bulwark's catalog, the organization's own controls (`custom.*`), or results another
 * policy engine wrote into PolicyReports and Bulwark imported (`policyreport.*`, issue 23).
 */
export const FINDING_SOURCES = ['catalog', 'custom', 'imported', 'admission'] as const;
export type FindingSource = (typeof FINDING_SOURCES)[number];

/** Risk acceptances and exceptions last at most a year; the database allows 366 days after creation. */
export const MAX_ACCEPTANCE_DAYS = 365;
const DAY_MS = 86_400_000;
/** One bulk action touches at most this many findings (one transaction, one audit entry each). */
export const MAX_BULK_FINDINGS = 500;

const FindingIdsSchema = z.array(z.uuid()).min(1, 'Select at least one finding').max(MAX_BULK_FINDINGS)
  .transform((ids) => [...new Set(ids)]);

/** A date in the future and at most a year away, checked when the request is parsed. */
export const BoundedExpirySchema = z.coerce.date()
  .refine((date) => date.getTime() > Date.now(), 'must be in the future')
  .refine((date) => date.getTime() <= Date.now() + MAX_ACCEPTANCE_DAYS * DAY_MS, `must be at most ${MAX_ACCEPTANCE_DAYS} days from now`);

export const AcknowledgeFindingSchema = z.object({
  findingIds: FindingIdsSchema,
  note: z.string().trim().max(2000).optional(),
});
export type AcknowledgeFindingInput = z.input<typeof AcknowledgeFindingSchema>;

/** A key that is absent leaves that assignee as it is; `null` clears it; both `null` unassigns. */
export const AssignFindingSchema = z.object({
  findingIds: FindingIdsSchema,
  assigneeUserId: z.uuid().nullable().optional(),
  assigneeTeamId: z.uuid().nullable().optional(),
}).refine((input) => input.assigneeUserId !== undefined || input.assigneeTeamId !== undefined, {
  message: 'Choose a person, a team, or unassign', path: ['assigneeUserId'],
});
export type AssignFindingInput = z.input<typeof AssignFindingSchema>;

export const SetDueDateSchema = z.object({
  findingIds: FindingIdsSchema,
  dueAt: z.coerce.date().nullable(),
});
export type SetDueDateInput = z.input<typeof SetDueDateSchema>;

export const CommentSchema = z.object({
  findingIds: FindingIdsSchema,
  body: z.string().trim().min(1, 'Write a comment').max(5000),
});
export type CommentInput = z.input<typeof CommentSchema>;

export const RequestRiskAcceptanceSchema = z.object({
  findingId: z.uuid(),
  justification: z.string().trim().min(20, 'Explain the risk and why it is acceptable (at least 20 characters)').max(5000),
  expiresAt: BoundedExpirySchema,
});
export type RequestRiskAcceptanceInput = z.input<typeof RequestRiskAcceptanceSchema>;

export const DecideRiskAcceptanceSchema = z.object({
  riskAcceptanceId: z.uuid(),
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(2000).optional(),
});
export type DecideRiskAcceptanceInput = z.input<typeof DecideRiskAcceptanceSchema>;

export const RevokeRiskAcceptanceSchema = z.object({
  riskAcceptanceId: z.uuid(),
  reason: z.string().trim().max(2000).optional(),
});
export type RevokeRiskAcceptanceInput = z.input<typeof RevokeRiskAcceptanceSchema>;

export const MarkFalsePositiveSchema = z.object({
  findingId: z.uuid(),
  reason: z.string().trim().min(10, 'Explain why this is not a real problem (at least 10 characters)').max(2000),
  exception: z.object({ scope: z.enum(EXCEPTION_SCOPES), expiresAt: BoundedExpirySchema }).optional(),
});
export type MarkFalsePositiveInput = z.input<typeof MarkFalsePositiveSchema>;

export const DecideExceptionSchema = z.object({
  exceptionId: z.uuid(),
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(2000).optional(),
});
export type DecideExceptionInput = z.input<typeof DecideExceptionSchema>;

export const ListExceptionsQuerySchema = z.object({
  staleAfterDays: z.coerce.number().int().min(0).max(365).default(30),
  includeExpired: z.boolean().default(false),
});
export type ListExceptionsQueryInput = z.input<typeof ListExceptionsQuerySchema>;

/** Query strings carry lists as `a,b` (or repeated keys, which arrive as arrays from forms). */
function list<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value),
    z.array(item).max(20),
  );
}

const flag = z.preprocess((value) => {
  if (value === 'true' || value === '1' || value === 'on') return true;
  if (value === 'false' || value === '0' || value === '') return false;
  return value;
}, z.boolean());

/**
 * One resource, exactly: `Kind/name` for a cluster-scoped one (`Node/node-1`), `Kind/namespace/name` otherwise.
 * Unlike `q`, `node-1` does not also match `node-10`. Kept as text (the route and the service both parse it);
 * resourceOf reads it.
 */
export const ResourceFilterSchema = z
  .string()
  .trim()
  .max(600)
  .regex(/^[^/]+\/[^/]+(?:\/[^/]+)?$/, 'a resource is Kind/name (cluster-scoped, e.g. Node/node-1) or Kind/namespace/name (e.g. Deployment/shop/web)');

export function resourceOf(text: string): { kind: string; namespace: string | null; name: string } {
  const [kind = '', a = '', b] = text.split('/');
  return b === undefined ? { kind, namespace: null, name: a } : { kind, namespace: a, name: b };
}

const ListFindingsFilterShape = {
  clusterId: z.uuid().optional(),
  namespace: z.string().trim().min(1).max(253).optional(),
  severity: list(z.enum(SEVERITIES)).optional(),
  status: list(z.enum(FINDING_STATUSES)).optional(),
  controlId: z.string().trim().min(1).max(200).optional(),
  /** catalog, custom (the organization's controls) or imported (PolicyReports from Kyverno and other engines). */
  source: z.enum(FINDING_SOURCES).optional(),
  /** A framework requirement, e.g. frameworkId "cis-k8s-1.9" and requirementCode "5.2.2": findings of its controls. */
  frameworkId: z.string().trim().min(1).max(100).optional(),
  requirementCode: z.string().trim().min(1).max(50).optional(),
  assigneeUserId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  /** Assigned to the signed-in user or to one of their teams. */
  mine: flag.optional(),
  /** Open or acknowledged, and past its due date. */
  overdue: flag.optional(),
  /** Part of a resource name or namespace, or of a control id or title; case-insensitive. */
  q: z.string().trim().max(200).optional(),
  resource: ResourceFilterSchema.optional(),
};
const requirementPair = {
  check: (query: { frameworkId?: string; requirementCode?: string }) => (query.frameworkId === undefined) === (query.requirementCode === undefined),
  params: { message: 'frameworkId and requirementCode go together', path: ['requirementCode'] },
};

export const ListFindingsQuerySchema = z.object({
  ...ListFindingsFilterShape,
  sort: z.enum(FINDING_SORTS).default('severity'),
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).refine(requirementPair.check, requirementPair.params);
export type ListFindingsQueryInput = z.input<typeof ListFindingsQuerySchema>;
export type ListFindingsQuery = z.output<typeof ListFindingsQuerySchema>;

/** The findings page sorts by every column it shows; each has the direction a reader expects first. */
export const FINDING_PAGE_SORTS = ['severity', 'control', 'resource', 'cluster', 'status', 'assignee', 'dueAt', 'lastSeenAt'] as const;
export type FindingPageSort = (typeof FINDING_PAGE_SORTS)[number];
export const SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];
/** Severity: the most severe first; last seen: the latest first; the rest A→Z, soonest first. */
export const DEFAULT_SORT_DIRECTION: Record<FindingPageSort, SortDirection> = {
  severity: 'desc', control: 'asc', resource: 'asc', cluster: 'asc', status: 'asc', assignee: 'asc', dueAt: 'asc', lastSeenAt: 'desc',
};
/** Deeper than this, narrow the filters: a numbered page is an OFFSET, and 10,000 pages is no list a person reads. */
export const MAX_FINDING_PAGE = 10_000;

/** Numbered pages with a total (the findings page): `page` 1, 2, …, `limit` rows each. */
export const ListFindingsPageQuerySchema = z.object({
  ...ListFindingsFilterShape,
  sort: z.enum(FINDING_PAGE_SORTS).default('severity'),
  dir: z.enum(SORT_DIRECTIONS).optional(),
  page: z.coerce.number().int().min(1).max(MAX_FINDING_PAGE).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).refine(requirementPair.check, requirementPair.params);
export type ListFindingsPageQueryInput = z.input<typeof ListFindingsPageQuerySchema>;

// ───────────────────────── saved views ─────────────────────────

export const MAX_SAVED_VIEWS = 50;
export const MAX_VIEW_NAME = 80;
/** Page and cursor say where one was in a list, not which list: a view starts on its first page. */
const VIEW_POSITION_KEYS = new Set(['page', 'cursor']);

const ViewNameSchema = z.string().trim().min(1, 'Name the view').max(MAX_VIEW_NAME, `At most ${MAX_VIEW_NAME} characters`);
/** The findings page's query string ("severity=HIGH&sort=cluster"), with or without "?"; kept without its position. */
const ViewQuerySchema = z.string().trim().max(2000, 'The filters are too long to save').transform((raw) => {
  const params = new URLSearchParams(raw.startsWith('?') ? raw.slice(1) : raw);
  for (const key of VIEW_POSITION_KEYS) params.delete(key);
  return params.toString();
});

export const CreateSavedViewSchema = z.object({ name: ViewNameSchema, query: ViewQuerySchema });
export type CreateSavedViewInput = z.input<typeof CreateSavedViewSchema>;
export const RenameSavedViewSchema = z.object({ viewId: z.uuid(), name: ViewNameSchema });
export type RenameSavedViewInput = z.input<typeof RenameSavedViewSchema>;
export const DeleteSavedViewSchema = z.object({ viewId: z.uuid() });
export type DeleteSavedViewInput = z.input<typeof DeleteSavedViewSchema>;
