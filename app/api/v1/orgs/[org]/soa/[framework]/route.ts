import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { getSoa } from '@/lib/services/soa/read-soa';
import { getCisBenchmark } from '@/lib/services/orgs/settings';
import { frameworkFromParam } from './framework-param';

export const dynamic = 'force-dynamic';

/** The framework's Statement of Applicability (draft), each requirement's decision and status, and its versions. */
export const GET = orgRoute<{ org: string; framework: string }>({}, async ({ ctx, params }) => json(await getSoa(ctx, frameworkFromParam(params.framework, (await getCisBenchmark(ctx)).version))));
