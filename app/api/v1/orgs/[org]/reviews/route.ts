import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { listCampaigns } from '@/lib/services/reviews/campaigns';

export const dynamic = 'force-dynamic';

/** The organization's access review campaigns, newest first, each with its progress. */
export const GET = orgRoute<{ org: string }>({}, async ({ ctx }) => json({ campaigns: await listCampaigns(ctx) }));
