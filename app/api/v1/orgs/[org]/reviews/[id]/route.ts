import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { getCampaign } from '@/lib/services/reviews/campaigns';

export const dynamic = 'force-dynamic';

/** One campaign: its progress, per-reviewer progress, clusters, and the sign-off when completed. */
export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => json(await getCampaign(ctx, params.id)));
