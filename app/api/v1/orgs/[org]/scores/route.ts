import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { listScores, ScoresQuerySchema } from '@/lib/services/scores/read-scores';

export const dynamic = 'force-dynamic';

export const GET = orgRoute({ query: ScoresQuerySchema }, async ({ ctx, query }) => json(await listScores(ctx, query)));
