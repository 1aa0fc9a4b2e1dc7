import type { z } from 'zod';
import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { decideItems } from '@/lib/services/reviews/items';
import { DecisionBodySchema } from '@/lib/services/reviews/schemas';

export const dynamic = 'force-dynamic';

/**
 * Keeps or revokes items of the campaign (one or many, one shared reason). A decision is a person's: it needs a
 * signed-in session (an API token is refused with 403), never for the reviewer's own access (403 with why).
 */
export const POST = orgRoute<{ org: string; id: string }, undefined, z.infer<typeof DecisionBodySchema>>({ body: DecisionBodySchema }, async ({ ctx, params, body }) =>
  json(await decideItems(ctx, { campaignId: params.id, ...body })));
