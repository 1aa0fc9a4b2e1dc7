import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { getFinding } from '@/lib/services/findings/get-finding';

export const dynamic = 'force-dynamic';

/** The finding with its control, mappings, evidence, the same problem on other clusters and its timeline. */
export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => json(await getFinding(ctx, params.id)));
