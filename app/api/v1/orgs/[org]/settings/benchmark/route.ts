import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { getCisBenchmark, setCisBenchmark, SetCisBenchmarkSchema } from '@/lib/services/orgs/settings';

export const dynamic = 'force-dynamic';

/** The CIS Kubernetes Benchmark version the organization evaluates and reports against (Settings → Benchmark). */
export const GET = orgRoute({}, async ({ ctx }) => json(await getCisBenchmark(ctx)));

export const PUT = orgRoute({ body: SetCisBenchmarkSchema }, async ({ ctx, body }) => json(await setCisBenchmark(ctx, body)));
