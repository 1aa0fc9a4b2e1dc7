'use server';
import { orgAction } from '@/lib/web/action';
import { CloseEvidenceRequestSchema, CommentEvidenceRequestSchema, RequestEvidenceSchema, ReviewEvidenceSchema, WithdrawEvidenceSchema } from '@/lib/services/evidence/schemas';
import { reviewEvidence, withdrawEvidence } from '@/lib/services/evidence/evidence';
import { closeEvidenceRequest, commentOnEvidenceRequest, requestEvidence } from '@/lib/services/evidence/requests';

// Each is called as `someAction(orgSlug, input)` and returns an ActionResult; the services authorize and audit.
// (Files are uploaded to POST /api/v1/orgs/:org/evidence: a server action's body is too small for them.)
export const reviewEvidenceAction = orgAction(ReviewEvidenceSchema, reviewEvidence);
export const withdrawEvidenceAction = orgAction(WithdrawEvidenceSchema, withdrawEvidence);
export const requestEvidenceAction = orgAction(RequestEvidenceSchema, requestEvidence);
export const commentEvidenceRequestAction = orgAction(CommentEvidenceRequestSchema, commentOnEvidenceRequest);
export const closeEvidenceRequestAction = orgAction(CloseEvidenceRequestSchema, closeEvidenceRequest);
