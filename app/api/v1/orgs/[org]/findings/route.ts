import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { listFindings } from '@/lib/services/findings/list-findings';
import { ListFindingsQuerySchema } from '@/lib/services/findings/schemas';

export const dynamic = 'force-dynamic';

/** Filters, sort and keyset pagination: `?severity=CRITICAL,HIGH&status=OPEN&cursor=...&limit=50`; `{ items, nextCursor, total }`. */
export const GET = orgRoute({ query: ListFindingsQuerySchema }, async ({ ctx, query }) => json(await listFindings(ctx, query)));
