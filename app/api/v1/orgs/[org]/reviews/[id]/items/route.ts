import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { listItems } from '@/lib/services/reviews/items';
import { ItemQuerySchema, type ItemQuery } from '@/lib/services/reviews/schemas';

export const dynamic = 'force-dynamic';

/** The campaign's items (filter: undecided, kept, revoked, privileged, new, mine, overdue; clusterId; q; limit/offset). */
export const GET = orgRoute<{ org: string; id: string }, ItemQuery>({ query: ItemQuerySchema }, async ({ ctx, params, query }) => json(await listItems(ctx, params.id, query)));
