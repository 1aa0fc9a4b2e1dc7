import { z } from 'zod';

export const EVIDENCE_KINDS = ['file', 'link', 'attestation'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const EVIDENCE_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

/**
 * Uploads are multipart/form-data, which any site's form could post with a signed-in user's cookie; this header
 * can only be sent cross-site after a CORS preflight (which we never grant), so the upload route requires it.
 */
export const EVIDENCE_UPLOAD_HEADER = 'x-bulwark-upload';

const DAY = 86_400_000;
const emptyAsUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

const RequirementRef = {
  frameworkId: z.string().min(1).max(100),
  requirementId: z.string().trim().min(1).max(100),
};

/** A new piece of evidence (the file's bytes come apart from these fields). Dates are ISO dates or timestamps. */
export const AddEvidenceSchema = z.object({
  ...RequirementRef,
  kind: z.enum(EVIDENCE_KINDS),
  title: z.string().trim().min(1, 'Give the evidence a title').max(200),
  url: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https$/, message: 'Must be an https:// link' }).max(2000).optional()),
  attestation: z.preprocess(emptyAsUndefined, z.string().trim().min(1).max(10_000).optional()),
  ownerUserId: z.preprocess(emptyAsUndefined, z.uuid().optional()),
  collectedAt: z.coerce.date(),
  validUntil: z.coerce.date(),
}).superRefine((value, ctx) => {
  if (value.kind === 'link' && !value.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'A link needs its https:// URL' });
  if (value.kind === 'attestation' && !value.attestation) ctx.addIssue({ code: 'custom', path: ['attestation'], message: 'Write the attestation' });
  if (value.collectedAt.getTime() > Date.now() + DAY) ctx.addIssue({ code: 'custom', path: ['collectedAt'], message: 'The collection date cannot be in the future' });
  if (value.validUntil.getTime() <= value.collectedAt.getTime()) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'Valid until must be after the collection date' });
  if (value.validUntil.getTime() > value.collectedAt.getTime() + 5 * 366 * DAY) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'Evidence is valid for at most five years' });
});
export type AddEvidenceInput = z.input<typeof AddEvidenceSchema>;

export const ReviewEvidenceSchema = z.object({
  evidenceId: z.uuid(),
  decision: z.enum(['accepted', 'rejected']),
  note: z.preprocess(emptyAsUndefined, z.string().trim().max(2000).optional()),
}).superRefine((value, ctx) => {
  if (value.decision === 'rejected' && !value.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'Say why the evidence is rejected' });
});
export type ReviewEvidenceInput = z.input<typeof ReviewEvidenceSchema>;

export const RequestEvidenceSchema = z.object({
  ...RequirementRef,
  message: z.string().trim().min(1, 'Say what evidence you need').max(2000),
  dueDate: z.coerce.date(),
  assigneeUserId: z.preprocess(emptyAsUndefined, z.uuid().optional()),
}).superRefine((value, ctx) => {
  if (value.dueDate.getTime() < Date.now() - DAY) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'The due date is in the past' });
});
export type RequestEvidenceInput = z.input<typeof RequestEvidenceSchema>;

export const CommentEvidenceRequestSchema = z.object({
  requestId: z.uuid(),
  body: z.string().trim().min(1, 'Write a comment').max(4000),
});
export type CommentEvidenceRequestInput = z.input<typeof CommentEvidenceRequestSchema>;

export const CloseEvidenceRequestSchema = z.object({ requestId: z.uuid() });
export type CloseEvidenceRequestInput = z.input<typeof CloseEvidenceRequestSchema>;

export const WithdrawEvidenceSchema = z.object({ evidenceId: z.uuid() });
export type WithdrawEvidenceInput = z.input<typeof WithdrawEvidenceSchema>;
