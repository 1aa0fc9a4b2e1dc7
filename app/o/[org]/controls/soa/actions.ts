'use server';
import { orgAction } from '@/lib/web/action';
import { ApproveSoaSchema, SoaDecisionSchema } from '@/lib/services/soa/schemas';
import { approveSoaVersion, setSoaDecision } from '@/lib/services/soa/edit-soa';

// Each is called as `someAction(orgSlug, input)` and returns an ActionResult; the services authorize and audit.
export const setSoaDecisionAction = orgAction(SoaDecisionSchema, setSoaDecision);
export const approveSoaVersionAction = orgAction(ApproveSoaSchema, approveSoaVersion);
