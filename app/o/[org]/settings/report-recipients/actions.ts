'use server';
import { orgAction } from '@/lib/web/action';
import { ExternalRecipientIdSchema, ExternalRecipientSchema } from '@/lib/services/reports/schedule-schemas';
import { approveExternalRecipient, removeExternalRecipient } from '@/lib/services/reports/schedules';

export const approveExternalRecipientAction = orgAction(ExternalRecipientSchema, async (ctx, input) => {
  const row = await approveExternalRecipient(ctx, input);
  return { email: row.email };
});
export const removeExternalRecipientAction = orgAction(ExternalRecipientIdSchema, (ctx, input) => removeExternalRecipient(ctx, input));
