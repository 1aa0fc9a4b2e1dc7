'use server';
import { orgAction } from '@/lib/web/action';
import { acknowledgeFindings } from '@/lib/services/findings/acknowledge-findings';
import { assignFindings } from '@/lib/services/findings/assign-findings';
import { setDueDate } from '@/lib/services/findings/set-due-date';
import { addComment } from '@/lib/services/findings/add-comment';
import { requestRiskAcceptance } from '@/lib/services/findings/request-risk-acceptance';
import { decideRiskAcceptance } from '@/lib/services/findings/decide-risk-acceptance';
import { revokeRiskAcceptance } from '@/lib/services/findings/revoke-risk-acceptance';
import { markFalsePositive } from '@/lib/services/findings/mark-false-positive';
import { decideException } from '@/lib/services/findings/decide-exception';
import { createSavedView, deleteSavedView, renameSavedView } from '@/lib/services/findings/saved-views';
import {
  AcknowledgeFindingSchema, AssignFindingSchema, CommentSchema, CreateSavedViewSchema, DecideExceptionSchema, DecideRiskAcceptanceSchema,
  DeleteSavedViewSchema, MarkFalsePositiveSchema, RenameSavedViewSchema, RequestRiskAcceptanceSchema, RevokeRiskAcceptanceSchema, SetDueDateSchema,
} from '@/lib/services/findings/schemas';

// Called as acknowledgeFindingsAction(orgSlug, input). The bulk ones take findingIds[], one finding or many.
export const acknowledgeFindingsAction = orgAction(AcknowledgeFindingSchema, acknowledgeFindings);
export const assignFindingsAction = orgAction(AssignFindingSchema, assignFindings);
export const setDueDateAction = orgAction(SetDueDateSchema, setDueDate);
export const addCommentAction = orgAction(CommentSchema, async (ctx, input) => ({ count: (await addComment(ctx, input)).commentIds.length }));

// Only what the page needs goes back to the browser (an approved acceptance carries the finding's evidence).
export const requestRiskAcceptanceAction = orgAction(RequestRiskAcceptanceSchema, async (ctx, input) => {
  const acceptance = await requestRiskAcceptance(ctx, input);
  return { id: acceptance.id, status: acceptance.status };
});
export const decideRiskAcceptanceAction = orgAction(DecideRiskAcceptanceSchema, async (ctx, input) => {
  const acceptance = await decideRiskAcceptance(ctx, input);
  return { id: acceptance.id, status: acceptance.status };
});
export const revokeRiskAcceptanceAction = orgAction(RevokeRiskAcceptanceSchema, async (ctx, input) => {
  const acceptance = await revokeRiskAcceptance(ctx, input);
  return { id: acceptance.id, status: acceptance.status };
});
export const markFalsePositiveAction = orgAction(MarkFalsePositiveSchema, async (ctx, input) => {
  const result = await markFalsePositive(ctx, input);
  return { status: result.finding.status, exceptionId: result.exception?.id ?? null, pendingApproval: result.pendingApproval };
});
export const decideExceptionAction = orgAction(DecideExceptionSchema, async (ctx, input) => {
  const decided = await decideException(ctx, input);
  return { id: decided.id, status: decided.status };
});

// Saved views are the signed-in user's own: the service reads and writes only their rows.
export const createSavedViewAction = orgAction(CreateSavedViewSchema, async (ctx, input) => {
  const view = await createSavedView(ctx, input);
  return { id: view.id, name: view.name };
});
export const renameSavedViewAction = orgAction(RenameSavedViewSchema, async (ctx, input) => {
  const view = await renameSavedView(ctx, input);
  return { id: view.id, name: view.name };
});
export const deleteSavedViewAction = orgAction(DeleteSavedViewSchema, deleteSavedView);
