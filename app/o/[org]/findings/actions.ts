'use server';
import { orgAction } from '@/lib/web/action';
import { acknowledgeFindings } from '@/lib/findings/acknowledge-findings';
import { assignFindings } from '@/lib/findings/assign-findings';
import { setDueDate } from '@/lib/findings/set-due-date';
import { addComment } from '@/lib/findings/add-comment';
import { requestRiskAcceptance } from '@/lib/findings/request-risk-acceptance';
import { decideRiskAcceptance } from '@/lib/findings/decide-risk-acceptance';
import { revokeRiskAcceptance } from '@/lib/findings/revoke-risk-acceptance';
import { markFalsePositive } from '@/lib/findings/mark-false-positive';
import { decideException } from '@/lib/findings/decide-exception';
import {
  AcknowledgeFindingSchema, AssignFindingSchema, CommentSchema, DecideExceptionSchema, DecideRiskAcceptanceSchema, MarkFalsePositiveSchema,
  RequestRiskAcceptanceSchema, RevokeRiskAcceptanceSchema, SetDueDateSchema,
} from '@/lib/findings/schemas';

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
