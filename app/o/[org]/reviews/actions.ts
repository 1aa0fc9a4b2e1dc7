'use server';
import { orgAction } from '@/lib/web/action';
import { signOffCampaign, startCampaign } from '@/lib/services/reviews/campaigns';
import { decideItems } from '@/lib/services/reviews/items';
import { DecideItemsSchema, SignOffSchema, StartCampaignSchema } from '@/lib/services/reviews/schemas';

// Called as someAction(orgSlug, input): the services parse the input again (and check who may do it).
export const startCampaignAction = orgAction(StartCampaignSchema, async (ctx, input) => {
  const campaign = await startCampaign(ctx, input);
  return { campaignId: campaign.id };
});

export const decideItemsAction = orgAction(DecideItemsSchema, async (ctx, input) => decideItems(ctx, input));

export const signOffCampaignAction = orgAction(SignOffSchema, async (ctx, input) => {
  const campaign = await signOffCampaign(ctx, input);
  return { campaignId: campaign.id, status: campaign.status };
});
