import { z } from 'zod';

// Forms import this file in the browser: no Prisma, no Node.

export const REVIEW_SCOPES = ['privileged', 'all'] as const;
export type ReviewScope = (typeof REVIEW_SCOPES)[number];
export const REVIEWER_MODES = ['person', 'team', 'namespace'] as const;
export type ReviewerMode = (typeof REVIEWER_MODES)[number];
export const RECURRENCES = ['none', 'quarterly'] as const;
export const DECISIONS = ['keep', 'revoke'] as const;
export type ReviewDecision = (typeof DECISIONS)[number];

/** One campaign freezes at most this many items (one transaction); a larger scope is refused with the count. */
export const MAX_CAMPAIGN_ITEMS = 5000;
/** One bulk decision covers at most this many items. */
export const MAX_BULK_ITEMS = 500;
const DAY_MS = 86_400_000;

const NamespaceReviewerSchema = z.object({
  namespace: z.string().trim().min(1).max(253).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name'),
  userId: z.uuid(),
});

export const StartCampaignSchema = z.object({
  name: z.string().trim().min(1, 'Name the campaign').max(200),
  clusterIds: z.array(z.uuid()).min(1, 'Pick at least one cluster').max(50).transform((ids) => [...new Set(ids)]),
  scope: z.enum(REVIEW_SCOPES),
  reviewerMode: z.enum(REVIEWER_MODES),
  /** person: the reviewer; namespace: the reviewer of cluster-wide rights and of namespaces not listed. */
  reviewerUserId: z.uuid().optional(),
  reviewerTeamId: z.uuid().optional(),
  namespaceReviewers: z.array(NamespaceReviewerSchema).max(500).default([]),
  dueAt: z.coerce.date()
    .refine((date) => date.getTime() > Date.now(), 'must be in the future')
    .refine((date) => date.getTime() <= Date.now() + 366 * DAY_MS, 'must be at most a year from now'),
  recurrence: z.enum(RECURRENCES).default('none'),
}).superRefine((value, ctx) => {
  if ((value.reviewerMode === 'person' || value.reviewerMode === 'namespace') && !value.reviewerUserId) {
    ctx.addIssue({ code: 'custom', path: ['reviewerUserId'], message: value.reviewerMode === 'person' ? 'Pick the reviewer' : 'Pick who reviews cluster-wide rights and other namespaces' });
  }
  if (value.reviewerMode === 'team' && !value.reviewerTeamId) ctx.addIssue({ code: 'custom', path: ['reviewerTeamId'], message: 'Pick the reviewing team' });
  if (value.reviewerMode === 'namespace' && value.namespaceReviewers.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['namespaceReviewers'], message: 'Name at least one namespace and its reviewer' });
  }
});
export type StartCampaignInput = z.input<typeof StartCampaignSchema>;

export const CampaignIdSchema = z.object({ campaignId: z.uuid() });

export const DecideItemsSchema = z.object({
  campaignId: z.uuid(),
  itemIds: z.array(z.uuid()).min(1, 'Select at least one item').max(MAX_BULK_ITEMS).transform((ids) => [...new Set(ids)]),
  decision: z.enum(DECISIONS),
  reason: z.string().trim().max(2000).optional().transform((reason) => (reason ? reason : undefined)),
});
export type DecideItemsInput = z.input<typeof DecideItemsSchema>;

export const SignOffSchema = z.object({
  campaignId: z.uuid(),
  summary: z.string().trim().min(1, 'Write a summary of the review').max(5000),
});
export type SignOffInput = z.input<typeof SignOffSchema>;

export const ITEM_FILTERS = ['all', 'undecided', 'kept', 'revoked', 'privileged', 'new', 'mine', 'overdue'] as const;
export type ItemFilter = (typeof ITEM_FILTERS)[number];

export const ItemQuerySchema = z.object({
  filter: z.enum(ITEM_FILTERS).default('all'),
  clusterId: z.uuid().optional(),
  reviewerUserId: z.uuid().optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type ItemQuery = z.input<typeof ItemQuerySchema>;

/** The v1 decisions route's body (the campaign is in the URL). */
export const DecisionBodySchema = z.object({
  itemIds: z.array(z.uuid()).min(1).max(MAX_BULK_ITEMS),
  decision: z.enum(DECISIONS),
  reason: z.string().max(2000).optional(),
});
