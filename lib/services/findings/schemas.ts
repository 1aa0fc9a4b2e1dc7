import { z } from 'zod';
import type { ExceptionScope, FindingStatus, Severity } from '../../platform/db/client';

// Forms import this file in the browser: types only from lib/platform/db (erased), values spelled out here.
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const satisfies readonly Severity[];
export const FINDING_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RISK_ACCEPTED', 'RESOLVED'] as const satisfies readonly FindingStatus[];
export const EXCEPTION_SCOPES = ['RESOURCE', 'NAMESPACE', 'CLUSTER'] as const satisfies readonly ExceptionScope[];
export const FINDING_SORTS = ['severity', 'lastSeenAt', 'dueAt'] as const;

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

export const ListFindingsQuerySchema = z.object({
  clusterId: z.uuid().optional(),
  namespace: z.string().trim().min(1).max(253).optional(),
  severity: list(z.enum(SEVERITIES)).optional(),
  status: list(z.enum(FINDING_STATUSES)).optional(),
  controlId: z.string().trim().min(1).max(200).optional(),
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
  sort: z.enum(FINDING_SORTS).default('severity'),
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).refine((query) => (query.frameworkId === undefined) === (query.requirementCode === undefined), {
  message: 'frameworkId and requirementCode go together', path: ['requirementCode'],
});
export type ListFindingsQueryInput = z.input<typeof ListFindingsQuerySchema>;
export type ListFindingsQuery = z.output<typeof ListFindingsQuerySchema>;
