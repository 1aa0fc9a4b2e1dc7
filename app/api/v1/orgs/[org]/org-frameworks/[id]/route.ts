import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { getOrgFramework } from '@/lib/services/policies/org-frameworks';

export const dynamic = 'force-dynamic';

/** One framework of the organization: its score and each requirement's status with the controls that decide it. */
export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => json({ framework: await getOrgFramework(ctx, params.id) }));
